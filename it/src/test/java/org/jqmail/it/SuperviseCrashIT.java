package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Crash-under-load as deployed (doc/FAULTS.md §2): the installed daemontools services
 * ({@code service/qmail-queued}, {@code qmail-smtpd}, {@code qmail-send}, each with its
 * multilog logger) run under svscan, the SMTP listener moved to a loopback port. While four
 * SMTP clients send a few hundred messages (retrying each one until it gets {@code 250 ok}),
 * paced so that they go on sending for as long as the kills last (at least {@link #MESSAGES},
 * at most {@link #MOST}),
 * SIGKILLs hit every daemon at random: qmail-queued, the listener, qmail-send, qmail-lspawn,
 * qmail-rspawn, qmail-clean and whatever qmail-lspawn runs; supervise restarts them. Afterwards
 * every accepted message is in the Maildir, each copy byte for byte what was sent, nothing is
 * left in the queue but what a kill may leave for qmail-send's 36-hour cleanup, and duplicates
 * (delivery is at least once, and a retried submission may have been queued before its client
 * lost the answer) are counted and printed.
 */
@Tag("root")
class SuperviseCrashIT {
    static final String USER = "svccrash";
    static final String D = TestHome.FQDN;
    static final int MESSAGES = 200;
    static final int MOST = 600;
    /** Each client's pause between messages: four clients send at most 16 a second. */
    static final long PACE_MS = 250;
    static final int CLIENTS = 4;
    static final int KILLS = 24;
    static final Pattern SVSTAT = Pattern.compile(": up \\(pid (\\d+)\\) (\\d+) seconds");

    enum Target { QUEUED, LISTENER, SEND, LSPAWN, RSPAWN, CLEAN, LOCAL }

    TestHome home;
    TestHome.Proc svscan;
    final List<ProcessHandle> supervisors = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (svscan != null) {
            supervisors.addAll(ProcessHandle.of(svscan.pid()).map(h -> h.children().toList()).orElse(List.of()));
            home.stop(svscan);
            List<String> svc = new ArrayList<>(List.of("svc", "-dx"));
            for (String s : List.of("qmail-queued", "qmail-smtpd", "qmail-send")) {
                svc.add(service(s).toString());
                svc.add(service(s).resolve("log").toString());
            }
            TestHome.exec(svc, null, Duration.ofSeconds(30));
            TestHome.await("the supervise processes to exit", () -> supervisors.stream().noneMatch(ProcessHandle::isAlive),
                    Duration.ofSeconds(60));
        }
        if (home != null) {
            home.close();
        }
    }

    Path service(String name) {
        return home.service().resolve(name);
    }

    @Test
    void noAcceptedMessageIsLostOrCorruptedWhileEveryDaemonIsKilled() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: real users, setuidgid, privilege separation");
        home = TestHome.create();
        Assumptions.assumeTrue(home.has("qmail-start") && home.has("qmail-smtpd-listener") && home.has("qmail-queued"),
                "the programs are not all built");
        Path uhome = TestHome.ensureUser(USER);
        MailSystem.emptyHome(uhome);
        Path maildir = uhome.resolve("Maildir");
        MailSystem.maildir(USER, maildir);
        MailSystem smtp = new MailSystem(home);
        deploy(smtp.port);
        svscan = home.start(Map.of("PATH", "/usr/bin:/bin"), "/usr/bin/svscan", home.service().toString());
        for (String s : List.of("qmail-queued", "qmail-smtpd", "qmail-send")) {
            awaitUp(s);
        }
        TestHome.await("the SMTP listener", () -> {
            new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), smtp.port).close();
            return true;
        }, Duration.ofSeconds(60));

        Map<Integer, Boolean> accepted = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
        // Ids are taken in increasing order and the condition below turns false once for good,
        // so the ids sent are 0 .. sent-1.
        AtomicInteger sent = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean killingNow = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Thread t = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < MOST && (i < MESSAGES || killingNow.get());) {
                    sent.incrementAndGet();
                    try {
                        Thread.sleep(PACE_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int attempt = 0; attempt < 200 && !accepted.containsKey(i); attempt++) {
                        try {
                            String reply = smtp.smtp(USER + "@" + D, List.of(USER + "@" + D), DeliveryCrashIT.message(i));
                            if (reply.startsWith("250 ok ")) {
                                accepted.put(i, true);
                                break;
                            }
                        } catch (IOException | AssertionError e) {
                            // A daemon died under this transaction: try again, as a client would.
                        }
                        retries.incrementAndGet();
                        try {
                            Thread.sleep(300);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "client-" + c);
            t.start();
            clients.add(t);
        }

        long t0 = System.nanoTime();
        Random rnd = new Random(20261207);
        List<Target> plan = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            plan.add(Target.values()[k % Target.values().length]);
        }
        java.util.Collections.shuffle(plan, rnd);
        Map<Target, Integer> kills = new TreeMap<>();
        for (Target t : plan) {
            Thread.sleep(400 + rnd.nextInt(1200));
            ProcessHandle[] victim = new ProcessHandle[1];
            TestHome.await(t + " running", () -> (victim[0] = find(t)) != null, Duration.ofSeconds(120));
            if (victim[0].destroyForcibly()) {
                kills.merge(t, 1, Integer::sum);
            }
        }
        long killing = System.nanoTime() - t0;
        killingNow.set(false);
        for (Thread t : clients) {
            t.join(600_000);
            assertTrue(!t.isAlive(), "a client is stuck");
        }
        for (String s : List.of("qmail-queued", "qmail-smtpd", "qmail-send")) {
            awaitUp(s);
        }
        long submitted = System.nanoTime() - t0;
        awaitDrained();
        long drained = System.nanoTime() - t0;

        Map<Integer, Integer> copies = DeliveryCrashIT.check(maildir, DeliveryCrashIT.header(USER));
        int total = sent.get();
        List<Integer> lost = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            if (accepted.containsKey(i) && !copies.containsKey(i)) {
                lost.add(i);
            }
        }
        int dups = copies.values().stream().mapToInt(n -> n - 1).sum();
        List<String> log = sendLog();
        long failures = log.stream().filter(l -> l.contains(": failure: ")).count();
        Map<String, Integer> leftovers = leftovers(log);
        System.out.println(getClass().getSimpleName() + ": " + accepted.size() + "/" + total + " accepted, "
                + retries.get() + " retried transactions, SIGKILLs " + kills + ", "
                + copies.size() + " delivered, " + lost.size() + " lost, 0 corrupted, " + dups + " duplicate copies, "
                + failures + " permanent failures, left for the 36-hour cleanup " + leftovers + "; kills over "
                + killing / 1_000_000_000 + " s, all accepted after " + submitted / 1_000_000_000 + " s, queue empty after "
                + drained / 1_000_000_000 + " s");
        assertTrue(total >= MESSAGES, "sent " + total);
        assertEquals(total, accepted.size(), "messages never accepted in 200 attempts");
        assertEquals(List.of(), lost, "accepted but never delivered");
        assertTrue(accepted.keySet().containsAll(copies.keySet()), "delivered but never accepted");
        assertEquals(0, failures, "permanent failures");
    }

    /**
     * The installed service directories, as deployed, but only the three this test kills under
     * (no POP3, QMTP or QMQP: their tcpservers would hold ports 110, 209 and 628 of every address
     * and outlive the test, since stop() takes down only these three) and with the listener on 127.0.0.1:{@code port} instead of port 25 of every address.
     */
    void deploy(int port) throws IOException {
        try (Stream<Path> all = Files.list(home.service())) {
            for (Path p : all.toList()) {
                if (!List.of("qmail-queued", "qmail-smtpd", "qmail-send").contains(p.getFileName().toString())) {
                    MailSystem.emptyHome(p);
                    Files.deleteIfExists(p);
                }
            }
        }
        Path run = service("qmail-smtpd").resolve("run");
        String text = Files.readString(run, ISO_8859_1);
        assertTrue(text.contains(" 0 25 2>&1"), "the listener's run script changed:\n" + text);
        Files.writeString(run, text.replace(" 0 25 2>&1", " 127.0.0.1 " + port + " 2>&1"), ISO_8859_1);
    }

    /** The pid supervise reports for a service that has been up at least a second, or 0. */
    long upPid(String s) throws IOException {
        TestHome.Result r = TestHome.exec(List.of("svstat", service(s).toString()), null, Duration.ofSeconds(10));
        Matcher m = SVSTAT.matcher(r.outText());
        return m.find() && Long.parseLong(m.group(2)) >= 1 ? Long.parseLong(m.group(1)) : 0;
    }

    /** True if process {@code pid} has a handler for SIGALRM (its {@code SigCgt} mask, proc(5)). */
    static boolean catchesAlrm(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("SigCgt:")) {
                    return (Long.parseLong(l.substring(7).trim(), 16) & (1L << (14 - 1))) != 0;
                }
            }
        } catch (IOException e) {
            // Gone: try again later.
        }
        return false;
    }

    void awaitUp(String s) throws InterruptedException {
        TestHome.await(s + " up under supervise", () -> upPid(s) != 0, Duration.ofSeconds(120));
    }

    /** The process a kill of {@code t} hits now, or null if there is none at the moment. */
    ProcessHandle find(Target t) throws IOException {
        String service = switch (t) {
            case QUEUED -> "qmail-queued";
            case LISTENER -> "qmail-smtpd";
            default -> "qmail-send";
        };
        long pid = upPid(service);
        ProcessHandle p = pid == 0 ? null : ProcessHandle.of(pid).orElse(null);
        if (p == null || t == Target.QUEUED || t == Target.LISTENER || t == Target.SEND) {
            return p;
        }
        String cls = switch (t) {
            case LSPAWN, LOCAL -> MailSystem.LSPAWN;
            case RSPAWN -> MailSystem.RSPAWN;
            default -> MailSystem.CLEAN;
        };
        ProcessHandle d = p.children().filter(h -> h.info().arguments()
                .map(a -> Arrays.asList(a).contains(cls)).orElse(false)).findFirst().orElse(null);
        if (d == null || t != Target.LOCAL) {
            return d;
        }
        return d.descendants().reduce((a, b) -> b).orElse(null);
    }

    /**
     * Waits for an empty queue, making deferred deliveries due (svc -a: SIGALRM) now and then,
     * but only to a qmail-send that catches SIGALRM: its default action ends a JVM that has not
     * yet set its handler (a start under load takes seconds), as it ends a C qmail-send in the
     * first instants of its life.
     */
    void awaitDrained() throws InterruptedException {
        long[] last = {0};
        TestHome.await("an empty queue", () -> {
            if (System.nanoTime() - last[0] > 5_000_000_000L && catchesAlrm(upPid("qmail-send"))) {
                last[0] = System.nanoTime();
                TestHome.exec(List.of("svc", "-a", service("qmail-send").toString()), null, Duration.ofSeconds(10));
            }
            return files("todo").isEmpty() && files("info").isEmpty() && files("local").isEmpty()
                    && files("remote").isEmpty();
        }, Duration.ofSeconds(600));
    }

    List<Path> files(String dir) throws IOException {
        try (Stream<Path> s = Files.walk(home.queue().resolve(dir))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /** qmail-send's log through every restart: multilog's rotated files, then current. */
    List<String> sendLog() throws IOException {
        Path main = service("qmail-send").resolve("log/main");
        List<Path> parts;
        try (Stream<Path> s = Files.list(main)) {
            parts = new ArrayList<>(s.filter(p -> p.getFileName().toString().startsWith("@")).sorted().toList());
        }
        parts.add(main.resolve("current"));
        List<String> lines = new ArrayList<>();
        for (Path p : parts) {
            for (String l : Files.readString(p, ISO_8859_1).split("\n")) {
                int sp = l.indexOf(' ');
                lines.add(l.startsWith("@") && sp > 0 ? l.substring(sp + 1) : l);
            }
        }
        return lines;
    }

    /**
     * What may stay after the run: todo, info, local, remote and bounce must be empty; mess
     * files only of messages whose life ended (killed between {@code end msg} and qmail-clean),
     * and intd/pid files of submissions whose qmail-queued was killed (qmail-send's cleanup
     * removes both after 36 hours, doc/QUEUE.md §3). Returns their counts.
     */
    Map<String, Integer> leftovers(List<String> log) throws IOException {
        for (String d : List.of("todo", "info", "local", "remote", "bounce")) {
            assertEquals(List.of(), files(d), "queue/" + d);
        }
        String all = "\n" + String.join("\n", log) + "\n";
        Map<String, Integer> left = new TreeMap<>();
        for (Path p : files("mess")) {
            String id = p.getFileName().toString();
            boolean ended = all.contains("\nend msg " + id + "\n");
            boolean cut = Files.exists(home.queue().resolve("intd").resolve(id));
            assertTrue(ended || cut, "mess file of a message that never ended nor was cut off: " + p);
            left.merge(ended ? "mess" : "mess+intd", 1, Integer::sum);
        }
        left.put("intd", files("intd").size());
        left.put("pid", files("pid").size());
        return left;
    }
}
