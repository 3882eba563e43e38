package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Crash safety of the delivery side (doc/QUEUE.md §3): with the whole pipeline up, a
 * stream of messages is submitted by SMTP while qmail-send is killed with SIGKILL several
 * times at random moments during deliveries and restarted through qmail-start, as supervise
 * would, and qmail-lspawn is killed too (qmail-send then loses its spawn, exits and is
 * restarted). The old qmail-lspawn, qmail-rspawn and qmail-clean of a killed qmail-send must
 * go away on their own (they exit at end of input). Afterwards every message that got
 * {@code 250 ok} is in the Maildir at least once, each copy byte for byte what was sent
 * (duplicates are allowed: delivery is at least once; they are counted and printed), and the
 * queue is empty, except for {@code mess} files a kill left between {@code end msg} and
 * qmail-clean's removal, which qmail-send's 36-hour cleanup removes (doc/QUEUE.md §3).
 */
@Tag("root")
class DeliveryCrashIT {
    static final String USER = "dlvcrash";
    static final String D = TestHome.FQDN;
    static final int MIN_MESSAGES = 120;
    static final int MAX_MESSAGES = 300;
    static final Pattern HEADER = header(USER);
    static final Pattern SUBJECT = Pattern.compile("Subject: crash (\\d+)\n");

    /** What qmail-local puts before a message {@code user} sent to itself by SMTP. */
    static Pattern header(String user) {
        return Pattern.compile("Return-Path: <" + user + "@" + D + ">\n"
                + "Delivered-To: " + user + "@" + D + "\n"
                + "Received: \\(qmail \\d+ invoked from network\\); [^\n]+ -0000\n"
                + "Received: from [^\n]*\n  by [^\n]* with SMTP; [^\n]+ -0000\n");
    }

    enum Kill { SEND, LSPAWN }

    static final List<Kill> KILLS = List.of(Kill.SEND, Kill.SEND, Kill.LSPAWN, Kill.SEND, Kill.SEND, Kill.LSPAWN,
            Kill.SEND);

    TestHome home;
    MailSystem sys;
    final List<TestHome.Proc> sends = new ArrayList<>();

    /** Extra environment for qmail-start (subclasses switch the delivery path). */
    void configure(MailSystem m) {
        m.env("JQMAIL_LSPAWN_WORKERS", "0");
    }

    @AfterEach
    void stop() throws Exception {
        if (sys != null) {
            sys.close();
        }
        if (home != null) {
            home.close();
        }
    }

    /** Message {@code i} as sent: deterministic, so each delivered copy can be checked. */
    static String message(int i) {
        Random r = new Random(7919L * i + 1);
        int size = r.nextInt(8) == 0 ? 40_000 + r.nextInt(200_000) : 100 + r.nextInt(6000);
        StringBuilder sb = new StringBuilder(size + 64);
        sb.append("Subject: crash ").append(i).append("\n\nID ").append(i).append('\n');
        while (sb.length() < size) {
            int n = r.nextInt(100);
            if (r.nextInt(20) == 0) {
                sb.append('.');
            }
            for (int k = 0; k < n; k++) {
                sb.append((char) ('!' + r.nextInt(94)));
            }
            sb.append('\n');
        }
        sb.append("END ").append(i).append('\n');
        return sb.toString();
    }

    @Test
    void everyAcceptedMessageIsDeliveredWholeDespiteSigkill() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: real users and privilege separation");
        home = TestHome.create();
        Assumptions.assumeTrue(home.has("qmail-start") && home.has("qmail-local") && home.has("qmail-smtpd-listener"),
                "the delivery programs are not all built");
        Path uhome = TestHome.ensureUser(USER);
        MailSystem.emptyHome(uhome);
        Path maildir = uhome.resolve("Maildir");
        MailSystem.maildir(USER, maildir);
        sys = new MailSystem(home);
        configure(sys);
        sys.start();
        sends.add(sys.send);

        Map<Integer, Boolean> accepted = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        AtomicBoolean killsDone = new AtomicBoolean();
        Thread submitter = new Thread(() -> {
            for (int i = 0; i < MAX_MESSAGES && (i < MIN_MESSAGES || !killsDone.get()); i++) {
                try {
                    String reply = sys.smtp(USER + "@" + D, List.of(USER + "@" + D), message(i));
                    if (reply.startsWith("250 ok ")) {
                        accepted.put(i, true);
                    }
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | AssertionError e) {
                    refused.incrementAndGet();
                }
            }
        }, "submitter");
        submitter.start();

        Random rnd = new Random(4711);
        int sendKills = 0;
        for (Kill k : KILLS) {
            awaitDeliveriesRunning();
            Thread.sleep(rnd.nextInt(400));
            if (k == Kill.SEND) {
                killSend();
                sendKills++;
            } else {
                killLspawn();
            }
            Thread.sleep(500 + rnd.nextInt(2500));
        }
        killsDone.set(true);
        submitter.join(600_000);
        assertTrue(!submitter.isAlive(), "the submitter is stuck");

        awaitDrained();
        Map<Integer, Integer> copies = check(maildir);
        List<String> lost = new ArrayList<>();
        for (int i : accepted.keySet()) {
            if (!copies.containsKey(i)) {
                lost.add(Integer.toString(i));
            }
        }
        int dups = 0;
        for (int n : copies.values()) {
            dups += n - 1;
        }
        List<String> leftovers = queueLeftovers();
        System.out.println(getClass().getSimpleName() + ": " + accepted.size() + " accepted, " + refused.get() + " refused, "
                + sendKills + " SIGKILLs of qmail-send, " + (KILLS.size() - sendKills) + " of qmail-lspawn, "
                + copies.size() + " delivered, " + dups + " duplicate copies, " + count("deferral: ")
                + " deferrals, leftover mess files " + leftovers);
        assertTrue(lost.isEmpty(), "accepted but never delivered: " + lost);
        assertTrue(accepted.keySet().containsAll(copies.keySet()), "delivered but never accepted");
        assertEquals(0, count(": failure: "), "permanent failures");
        assertTrue(leftovers.size() <= sendKills, "more leftovers than kills: " + leftovers);
    }

    /** Waits until the running qmail-send has a delivery in flight. */
    void awaitDeliveriesRunning() throws InterruptedException {
        TestHome.await("a delivery in flight", () -> {
            int started = 0;
            int done = 0;
            for (String l : sys.log()) {
                if (l.startsWith("starting delivery ")) {
                    started++;
                } else if (l.startsWith("delivery ")) {
                    done++;
                }
            }
            return started > done;
        }, Duration.ofSeconds(180));
    }

    /** SIGKILL to qmail-send, a restart as supervise would, and its old daemons must exit. */
    void killSend() throws Exception {
        List<ProcessHandle> old = old();
        TestHome.Proc p = sys.send;
        p.process().destroyForcibly();
        p.waitFor(Duration.ofSeconds(30));
        restart(old);
    }

    /** SIGKILL to qmail-lspawn: qmail-send must notice, say so and exit; then a restart. */
    void killLspawn() throws Exception {
        List<ProcessHandle> old = old();
        old.get(0).destroyForcibly();
        TestHome.Proc p = sys.send;
        assertEquals(0, p.waitFor(Duration.ofSeconds(120)), "qmail-send's exit status after losing qmail-lspawn");
        List<String> log = MailSystem.lines(p.out());
        assertTrue(log.contains("alert: oh no! lost spawn connection! dying..."), "log: " + tail(log));
        assertEquals("status: exiting", log.get(log.size() - 1), "log: " + tail(log));
        restart(old);
    }

    /**
     * The running qmail-send's daemons (qmail-lspawn first) and everything qmail-lspawn has
     * started (qmail-local processes or workers): all must end once their input ends.
     */
    List<ProcessHandle> old() throws InterruptedException {
        List<ProcessHandle> old = new ArrayList<>(sys.daemons());
        old.addAll(old.get(0).descendants().toList());
        return old;
    }

    private void restart(List<ProcessHandle> old) throws Exception {
        home.stop(sys.send);
        sys.startSend();
        sends.add(sys.send);
        TestHome.await("the old qmail-lspawn, qmail-rspawn, qmail-clean and qmail-lspawn's children to exit",
                () -> old.stream().noneMatch(ProcessHandle::isAlive), Duration.ofSeconds(180));
    }

    static List<String> tail(List<String> l) {
        return l.subList(Math.max(0, l.size() - 20), l.size());
    }

    /**
     * Waits until the queue is empty. A delivery cut off by a crash may have been deferred;
     * SIGALRM (as an administrator would send it) makes it due again.
     */
    void awaitDrained() throws InterruptedException {
        long[] last = {0};
        TestHome.await("an empty queue", () -> {
            if (System.nanoTime() - last[0] > 5_000_000_000L) {
                last[0] = System.nanoTime();
                TestHome.exec(List.of("kill", "-ALRM", Long.toString(sys.send.pid())), null, Duration.ofSeconds(10));
            }
            return files("todo").isEmpty() && files("info").isEmpty() && files("local").isEmpty()
                    && files("remote").isEmpty();
        }, Duration.ofSeconds(600));
    }

    /** Regular files under queue/DIR. */
    List<Path> files(String dir) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(home.queue().resolve(dir))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /**
     * The queue after the run: nothing may be left in todo, intd, info, local, remote or bounce;
     * returns the mess files left (each must be a message whose life ended, see class comment).
     */
    List<String> queueLeftovers() throws Exception {
        for (String d : List.of("todo", "intd", "info", "local", "remote", "bounce")) {
            assertEquals(List.of(), files(d), "queue/" + d);
        }
        List<String> mess = new ArrayList<>();
        for (Path p : files("mess")) {
            String id = p.getFileName().toString();
            assertTrue(("\n" + String.join("\n", allLogs()) + "\n").contains("\nend msg " + id + "\n"),
                    "mess file of a message that never ended: " + p);
            mess.add(home.queue().relativize(p).toString());
        }
        return mess;
    }

    /** Every qmail-send log of the run, one after the other. */
    List<String> allLogs() {
        List<String> all = new ArrayList<>();
        for (TestHome.Proc p : sends) {
            all.addAll(MailSystem.lines(p.out()));
        }
        return all;
    }

    long count(String part) {
        return allLogs().stream().filter(l -> l.contains(part)).count();
    }

    /**
     * Checks every file in the Maildir: each is one of the sent messages, whole, behind
     * qmail-local's header lines. Returns the number of copies per message.
     */
    static Map<Integer, Integer> check(Path maildir) throws Exception {
        return check(maildir, HEADER);
    }

    /** As above, for messages behind {@code header}. */
    static Map<Integer, Integer> check(Path maildir, Pattern header) throws Exception {
        Map<Integer, Integer> copies = new TreeMap<>();
        try (Stream<Path> t = Files.list(maildir.resolve("tmp"))) {
            assertEquals(List.of(), t.toList(), "files left in Maildir/tmp");
        }
        for (Path f : MailSystem.newMail(maildir)) {
            String m = new String(Files.readAllBytes(f), ISO_8859_1);
            Matcher h = header.matcher(m);
            assertTrue(h.lookingAt(), "header lines of " + f + ":\n" + m.substring(0, Math.min(m.length(), 600)));
            Matcher s = SUBJECT.matcher(m);
            assertTrue(s.find(h.end()) && s.start() == h.end(), "not a test message: " + f);
            int i = Integer.parseInt(s.group(1));
            assertSame(message(i), m.substring(h.end()), "message " + i + " in " + f);
            copies.merge(i, 1, Integer::sum);
        }
        return copies;
    }

    /** Fails with the first differing offset (the messages are too long to print). */
    static void assertSame(String want, String have, String what) {
        if (want.equals(have)) {
            return;
        }
        int i = 0;
        while (i < want.length() && i < have.length() && want.charAt(i) == have.charAt(i)) {
            i++;
        }
        throw new AssertionError(what + ": " + have.length() + " bytes instead of " + want.length()
                + ", first difference at offset " + i);
    }
}
