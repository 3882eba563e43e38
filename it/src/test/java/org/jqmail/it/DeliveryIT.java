package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jqmail.control.Auto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The delivery checklists (qmail's TEST.deliver, qmail's TEST.receive) over the real pipeline: SMTP
 * into the listener, qmail-queued, qmail-send, qmail-lspawn, qmail-local as real users created for
 * the test, files out. Every delivery runs through {@code setpriv} with a fresh qmail-local;
 * {@link DeliveryWorkerIT} runs the same tests with warm workers.
 */
@Tag("root")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryIT {
    static final String JOE = "dlvjoe";
    static final String ANN = "dlvann";
    static final String D = TestHome.FQDN;

    TestHome home;
    MailSystem sys;
    Path joe;
    Path ann;
    Path alias;

    /** Extra environment for qmail-start (subclasses switch the delivery path). */
    void configure(MailSystem m) {
        m.env("JQMAIL_LSPAWN_WORKERS", "0");
    }

    @BeforeAll
    void startSystem() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: real users and privilege separation");
        home = TestHome.create();
        Assumptions.assumeTrue(home.has("qmail-start") && home.has("qmail-local") && home.has("qmail-smtpd-listener"),
                "the delivery programs are not all built");
        joe = TestHome.ensureUser(JOE);
        ann = TestHome.ensureUser(ANN);
        MailSystem.emptyHome(joe);
        MailSystem.emptyHome(ann);
        MailSystem.maildir(JOE, joe.resolve("Maildir"));
        MailSystem.maildir(ANN, ann.resolve("Maildir"));
        alias = home.alias();
        MailSystem.maildir("alias", alias.resolve("Maildir"));
        MailSystem.dotQmail("alias", alias, ".qmail-postmaster", "");
        MailSystem.dotQmail(JOE, joe, ".qmail-prog",
                "|env > prog.env; (id -u; id -g; id -G) > prog.id\n");
        MailSystem.dotQmail(JOE, joe, ".qmail-list-default", "|echo \"$EXT $DEFAULT\" >> default.out\n");
        MailSystem.dotQmail(JOE, joe, ".qmail-fwd", "&" + ANN + "@" + D + "\n");
        MailSystem.dotQmail(JOE, joe, ".qmail-stop", "|exit 99\n./Maildir/\n");
        MailSystem.dotQmail(JOE, joe, ".qmail-mbox", "./mbox\n");
        int ju = TestHome.uid(JOE);
        int jg = TestHome.gid(JOE);
        int au = TestHome.uid(ANN);
        int ag = TestHome.gid(ANN);
        int xu = TestHome.uid("alias");
        int xg = TestHome.gid("alias");
        // As qmail-pw2u would write it, plus a name that is no account at all.
        home.usersAssign("=" + JOE + ":" + JOE + ":" + ju + ":" + jg + ":" + joe + ":::\n"
                + "+" + JOE + "-:" + JOE + ":" + ju + ":" + jg + ":" + joe + ":-::\n"
                + "=" + ANN + ":" + ANN + ":" + au + ":" + ag + ":" + ann + ":::\n"
                + "=joseph.public:" + JOE + ":" + ju + ":" + jg + ":" + joe + ":::\n"
                + "+:alias:" + xu + ":" + xg + ":" + alias + ":-::\n.\n");
        sys = new MailSystem(home);
        configure(sys);
        sys.start();
    }

    @AfterAll
    void stopSystem() throws Exception {
        if (sys != null) {
            sys.close();
        }
        if (home != null) {
            home.close();
        }
    }

    @BeforeEach
    void idle() throws InterruptedException {
        sys.awaitIdle();
    }

    /**
     * Sends one message by SMTP and waits until qmail-send has finished it; returns its log
     * lines from {@code new msg} to {@code end msg}.
     */
    List<String> deliver(String from, String rcpt, String data) throws Exception {
        String reply = sys.smtp(from, List.of(rcpt), data);
        String qp = reply.substring(reply.lastIndexOf(' ') + 1);
        TestHome.await("the end of the message queued by qp " + qp, () -> !sys.messageLog(qp).isEmpty(),
                Duration.ofSeconds(60));
        return sys.messageLog(qp);
    }

    static final String DATE = Qsbmf.DATE;

    /**
     * doc/ARCHITECTURE.md §4, qmail-start(8): qmail-send runs as qmails, qmail-lspawn as root,
     * qmail-rspawn as qmailr and qmail-clean as qmailq, all with gid qmail; real, effective, saved
     * and file-system ids alike, in every thread of each JVM; groups exactly {qmail}, or qmailr's
     * own groups for qmail-rspawn (initgroups).
     */
    @Test
    void theDaemonsRunAsTheirUsersInEveryThread() throws Exception {
        Auto auto = Auto.load(home.prefix());
        int qmail = groupId(auto.group(Auto.QMAIL));
        Set<Integer> justQmail = Set.of(qmail);
        Set<Integer> qmailr = new HashSet<>();
        String user = auto.user(Auto.QMAILR);
        for (String g : TestHome.exec(List.of("id", "-G", user), null, Duration.ofSeconds(30)).outText().trim().split(" ")) {
            qmailr.add(Integer.parseInt(g));
        }
        qmailr.add(qmail);
        assertIds("qmail-send", sys.send.pid(), TestHome.uid(auto.user(Auto.QMAILS)), qmail, justQmail);
        assertIds("qmail-lspawn", sys.daemon(MailSystem.LSPAWN).pid(), 0, qmail, justQmail);
        assertIds("qmail-rspawn", sys.daemon(MailSystem.RSPAWN).pid(), TestHome.uid(user), qmail, qmailr);
        assertIds("qmail-clean", sys.daemon(MailSystem.CLEAN).pid(), TestHome.uid(auto.user(Auto.QMAILQ)), qmail,
                justQmail);
    }

    static int groupId(String name) throws Exception {
        TestHome.Result r = TestHome.exec(List.of("getent", "group", name), null, Duration.ofSeconds(30));
        assertEquals(0, r.exit(), "getent group " + name);
        return Integer.parseInt(r.outText().split(":")[2]);
    }

    /** Checks the Uid, Gid and Groups lines of /proc/PID/task/TID/status for every thread. */
    static void assertIds(String who, long pid, int uid, int gid, Set<Integer> groups) throws Exception {
        List<Path> tasks;
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks = s.toList();
        }
        assertTrue(tasks.size() > 1, who + ": a JVM has more than one thread: " + tasks);
        String u = "Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid;
        String g = "Gid:\t" + gid + "\t" + gid + "\t" + gid + "\t" + gid;
        for (Path t : tasks) {
            List<String> status;
            try {
                status = Files.readAllLines(t.resolve("status"), ISO_8859_1);
            } catch (java.nio.file.NoSuchFileException e) {
                continue; // The thread has ended meanwhile.
            }
            String where = who + " (pid " + pid + ", thread " + t.getFileName() + ")";
            assertTrue(status.contains(u), where + ": want " + u + " in " + status);
            assertTrue(status.contains(g), where + ": want " + g + " in " + status);
            Set<Integer> have = new HashSet<>();
            for (String l : status) {
                if (l.startsWith("Groups:")) {
                    for (String x : l.substring("Groups:".length()).trim().split("\\s+")) {
                        if (!x.isEmpty()) {
                            have.add(Integer.parseInt(x));
                        }
                    }
                }
            }
            assertEquals(groups, have, where + ": groups");
        }
    }

    @Test
    void localDeliveryLandsInTheMaildirWithTheLogLinesOfTheSpec() throws Exception {
        int n = MailSystem.newMail(joe.resolve("Maildir")).size();
        List<String> log = deliver(ANN + "@" + D, JOE + "@" + D, "Subject: testing\n\nThis is a test.\n");
        String id = log.get(0).substring("new msg ".length());
        int qmaild = TestHome.uid("qmaild");
        assertEquals(7, log.size(), log.toString());
        assertEquals("new msg " + id, log.get(0));
        assertTrue(log.get(1).matches("info msg " + id + ": bytes \\d+ from <" + ANN + "@" + D + "> qp \\d+ uid " + qmaild),
                log.get(1));
        assertTrue(log.get(2).matches("starting delivery \\d+: msg " + id + " to local " + JOE + "@" + D), log.get(2));
        assertTrue(log.get(3).matches("status: local 1/10 remote 0/\\d+"), log.get(3));
        assertTrue(log.get(4).matches("delivery \\d+: success: did_1\\+0\\+0/"), log.get(4));
        assertTrue(log.get(5).matches("status: local 0/10 remote 0/\\d+"), log.get(5));
        assertEquals("end msg " + id, log.get(6));
        String m = MailSystem.awaitMail(joe.resolve("Maildir"), n + 1).get(n);
        assertTrue(Pattern.compile("Return-Path: <" + ANN + "@" + D + ">\n"
                + "Delivered-To: " + JOE + "@" + D + "\n"
                + "Received: \\(qmail \\d+ invoked from network\\); " + DATE + "\n"
                + "Received: from [^\n]*\n  by [^\n]* with SMTP; " + DATE + "\n"
                + "Subject: testing\n\nThis is a test.\n").matcher(m).matches(), m);
    }

    @Test
    void nonexistentAddressBouncesWithQsbmfTextToTheByte() throws Exception {
        int n = MailSystem.newMail(joe.resolve("Maildir")).size();
        List<String> log = deliver(JOE + "@" + D, "nobody@" + D, "Subject: t\n\nbody\n");
        String id = log.get(0).substring("new msg ".length());
        assertTrue(log.get(4).matches("delivery \\d+: failure: Sorry,_no_mailbox_here_by_that_name._\\(#5.1.1\\)/"),
                log.toString());
        assertTrue(log.get(log.size() - 2).matches("bounce msg " + id + " qp \\d+"), log.toString());
        String m = MailSystem.awaitMail(joe.resolve("Maildir"), n + 1).get(n);
        String expect = "Return-Path: <>\n"
                + "Delivered-To: " + JOE + "@" + D + "\n"
                + "Received: \\(qmail \\d+ invoked for bounce\\); " + DATE + "\n"
                + Qsbmf.notice(D, JOE + "@" + D, "nobody@" + D, "Sorry, no mailbox here by that name. (#5.1.1)")
                + Pattern.quote("Return-Path: <" + JOE + "@" + D + ">\n")
                + "Received: \\(qmail \\d+ invoked from network\\); " + DATE + "\n"
                + "Received: from [^\n]*\n  by [^\n]* with SMTP; " + DATE + "\n"
                + "Subject: t\n\nbody\n";
        assertTrue(Pattern.compile(expect).matcher(m).matches(), m);
    }

    @Test
    void postmasterInAnyCaseReachesTheAliasUser() throws Exception {
        int n = MailSystem.newMail(alias.resolve("Maildir")).size();
        deliver(JOE + "@" + D, "PoStMaStEr@" + D, "Subject: pm\n\nx\n");
        String m = MailSystem.awaitMail(alias.resolve("Maildir"), n + 1).get(n);
        assertTrue(m.startsWith("Return-Path: <" + JOE + "@" + D + ">\nDelivered-To: PoStMaStEr@" + D + "\n"), m);
    }

    @Test
    void aBounceThatBouncesIsADoubleBounceToPostmaster() throws Exception {
        int n = MailSystem.newMail(alias.resolve("Maildir")).size();
        deliver("nonexistent@" + D, "unknownuser@" + D, "To: unknownuser\n\nbody\n");
        String m = MailSystem.awaitMail(alias.resolve("Maildir"), n + 1).get(n);
        assertTrue(m.startsWith("Return-Path: <#@[]>\nDelivered-To: postmaster@" + D + "\n"), m);
        assertTrue(m.contains("\nFrom: MAILER-DAEMON@" + D + "\nTo: postmaster@" + D + "\nSubject: failure notice\n\n"
                + "Hi. This is the qmail-send program at " + D + ".\n"
                + "I tried to deliver a bounce message to this address, but the bounce bounced!\n\n"
                + "<nonexistent@" + D + ">:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
                + "--- Below this line is the original bounce.\n\nReturn-Path: <>\n"), m);
        assertTrue(m.contains("<unknownuser@" + D + ">:\nSorry, no mailbox here by that name. (#5.1.1)\n\n"
                + "--- Below this line is a copy of the message.\n\nReturn-Path: <nonexistent@" + D + ">\n"), m);
        assertTrue(m.endsWith("To: unknownuser\n\nbody\n"), m);
    }

    @Test
    void programDeliveriesGetTheEnvironmentOfTheSpecAndRunAsTheRecipientOnly() throws Exception {
        List<String> plog = deliver(ANN + "@" + D, JOE + "-prog@" + D, "Subject: p\n\nx\n");
        assertTrue(plog.get(4).contains(": success: did_0+0+1/"), plog.toString());
        String env = new String(Files.readAllBytes(joe.resolve("prog.env")), ISO_8859_1);
        for (String v : List.of("USER=" + JOE, "HOME=" + joe, "LOCAL=" + JOE + "-prog", "HOST=" + D,
                "RECIPIENT=" + JOE + "-prog@" + D, "SENDER=" + ANN + "@" + D,
                "DTLINE=Delivered-To: " + JOE + "-prog@" + D, "RPLINE=Return-Path: <" + ANN + "@" + D + ">",
                "EXT=prog", "EXT2=", "HOST2=test", "HOST3=test", "NEWSENDER=" + ANN + "@" + D)) {
            assertTrue(("\n" + env).contains("\n" + v + "\n") || ("\n" + env).contains("\n" + v), v + " in\n" + env);
        }
        assertTrue(Pattern.compile("(?m)^UFLINE=From " + ANN + "@" + D + " [A-Z][a-z]{2} [A-Z][a-z]{2} \\d\\d ").matcher(env).find(), env);
        String id = new String(Files.readAllBytes(joe.resolve("prog.id")), ISO_8859_1);
        int ju = TestHome.uid(JOE);
        int jg = TestHome.gid(JOE);
        assertEquals(ju + "\n" + jg + "\n" + jg + "\n", id);
        assertTrue(ju != 0);
    }

    @Test
    void forwardsArriveWithBothDeliveredToLines() throws Exception {
        int n = MailSystem.newMail(ann.resolve("Maildir")).size();
        deliver("someone@elsewhere.example", JOE + "-fwd@" + D, "Subject: f\n\nfwd\n");
        String m = MailSystem.awaitMail(ann.resolve("Maildir"), n + 1).get(n);
        assertTrue(m.startsWith("Return-Path: <someone@elsewhere.example>\nDelivered-To: " + ANN + "@" + D + "\n"
                + "Received: (qmail "), m);
        assertTrue(m.contains("\nDelivered-To: " + JOE + "-fwd@" + D + "\nReceived: (qmail "), m);
        assertTrue(m.endsWith("Subject: f\n\nfwd\n"), m);
    }

    @Test
    void exit99StopsTheDotQmailFile() throws Exception {
        int n = MailSystem.newMail(joe.resolve("Maildir")).size();
        List<String> log = deliver(ANN + "@" + D, JOE + "-stop@" + D, "x\n");
        assertTrue(log.get(4).matches("delivery \\d+: success: did_0\\+0\\+1/"), log.toString());
        assertEquals(n, MailSystem.newMail(joe.resolve("Maildir")).size());
    }

    @Test
    void mboxDeliveryQuotesFromLinesMboxrdStyle() throws Exception {
        deliver(ANN + "@" + D, JOE + "-mbox@" + D, "Subject: m\n\nFrom here\n>From there\nlast");
        String m = new String(Files.readAllBytes(joe.resolve("mbox")), ISO_8859_1);
        assertTrue(Pattern.compile("From " + ANN + "@" + D + " [A-Z][a-z]{2} [A-Z][a-z]{2} \\d\\d \\d\\d:\\d\\d:\\d\\d \\d{4}\n"
                + "Return-Path: <" + ANN + "@" + D + ">\n"
                + "Delivered-To: " + JOE + "-mbox@" + D + "\n"
                + "Received: [^\n]*\nReceived: [^\n]*\n  by [^\n]*\n"
                + "Subject: m\n\n>From here\n>>From there\nlast\n\n").matcher(m).matches(), m);
    }

    @Test
    void usersAssignMapsANameThatIsNoAccount() throws Exception {
        int n = MailSystem.newMail(joe.resolve("Maildir")).size();
        deliver(ANN + "@" + D, "Joseph.Public@" + D, "Subject: a\n\nassigned\n");
        String m = MailSystem.awaitMail(joe.resolve("Maildir"), n + 1).get(n);
        assertTrue(m.startsWith("Return-Path: <" + ANN + "@" + D + ">\nDelivered-To: Joseph.Public@" + D + "\n"), m);
    }

    @Test
    void qmailGetpwPrintsTheAssignmentFields() throws Exception {
        TestHome.Result r = home.run(null, "qmail-getpw", JOE + "-Some-Ext");
        assertEquals(0, r.exit(), r.errText());
        assertEquals(JOE + "\0" + TestHome.uid(JOE) + "\0" + TestHome.gid(JOE) + "\0" + joe + "\0-\0Some-Ext\0",
                r.outText());
        TestHome.Result a = home.run(null, "qmail-getpw", "No-Such-User");
        assertTrue(a.outText().startsWith("alias\0" + TestHome.uid("alias") + "\0"), a.outText());
        assertTrue(a.outText().endsWith("\0-\0No-Such-User\0"), a.outText());
    }

    @Test
    void extensionsAndDefaultWildcardsPickTheDotQmailFile() throws Exception {
        deliver(ANN + "@" + D, JOE + "-list-Foo.Bar@" + D, "x\n");
        deliver(ANN + "@" + D, JOE + "-LIST-x@" + D, "x\n");
        assertEquals("list-Foo.Bar Foo.Bar\nLIST-x x\n",
                new String(Files.readAllBytes(joe.resolve("default.out")), ISO_8859_1));
    }
}
