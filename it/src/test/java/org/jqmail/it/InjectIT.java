package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The delivery checklist of qmail's TEST.deliver that goes through qmail-inject, run by an ordinary
 * user (setpriv) against the real pipeline: qmail-queued, qmail-start with qmail-send, lspawn,
 * rspawn and clean, qmail-local delivering into Maildirs.
 */
@Tag("root")
class InjectIT {
    static final String USER = "jqinject";
    static TestHome home;
    static TestHome.Proc send;
    static Path userHome;
    static Path aliasMaildir;

    @BeforeAll
    static void system() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root");
        home = TestHome.create();
        Assumptions.assumeTrue(home.has("qmail-start") && home.has("qmail-queued") && home.has("qmail-inject"),
                "the pipeline is not built yet");
        userHome = TestHome.ensureUser(USER);
        maildir(userHome.resolve("Maildir"), USER);
        aliasMaildir = home.alias().resolve("Maildir");
        maildir(aliasMaildir, "alias");
        Files.writeString(home.alias().resolve(".qmail-postmaster"), "");
        chown(home.alias().resolve(".qmail-postmaster"), "alias");
        String ids = USER + ":" + TestHome.uid(USER) + ":" + TestHome.gid(USER) + ":" + userHome;
        home.usersAssign("=" + USER + ":" + ids + ":::\n+" + USER + "-:" + ids + ":-::\n+:alias:"
                + TestHome.uid("alias") + ":" + TestHome.gid("alias") + ":" + home.alias() + ":-::\n.\n");
        home.start("qmail-queued");
        TestHome.await("queue socket", () -> Files.exists(home.sock().resolve("qmail-queue")), Duration.ofSeconds(30));
        send = home.start("qmail-start", "./Maildir/");
        TestHome.await("qmail-send status line", () -> send.out().contains("status: local 0/10 remote 0/20"),
                Duration.ofSeconds(30));
    }

    @AfterAll
    static void down() throws Exception {
        if (home != null) {
            home.close();
        }
    }

    static void maildir(Path md, String owner) throws IOException {
        for (String d : new String[] {"", "tmp", "new", "cur"}) {
            Files.createDirectories(md.resolve(d));
            chown(md.resolve(d), owner);
        }
    }

    static void chown(Path p, String owner) throws IOException {
        TestHome.Result r = TestHome.exec(List.of("chown", owner + ":" + TestHome.gid(owner), p.toString()), null,
                Duration.ofSeconds(30));
        assertEquals(0, r.exit(), r.errText());
    }

    /** Runs a program of bin/ (or a path) as the test user with a login-like environment. */
    static TestHome.Result asUser(byte[] stdin, String... cmd) throws IOException {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + USER, "--regid=" + TestHome.gid(USER),
                "--init-groups", "env", "-i", "HOME=" + userHome, "USER=" + USER, "LOGNAME=" + USER,
                "PATH=/usr/bin:/bin"));
        argv.add(cmd[0].contains("/") ? cmd[0] : home.bin(cmd[0]).toString());
        argv.addAll(List.of(cmd).subList(1, cmd.length));
        return TestHome.exec(argv, stdin, Duration.ofMinutes(1));
    }

    static String waitForMessage(Path maildir, String containing) throws Exception {
        String[] found = new String[1];
        awaitWithLog("a message containing " + containing + " in " + maildir, () -> {
            try (Stream<Path> s = Files.list(maildir.resolve("new"))) {
                for (Path p : s.toList()) {
                    String m = Files.readString(p, StandardCharsets.ISO_8859_1);
                    if (m.contains(containing)) {
                        found[0] = m;
                        return true;
                    }
                }
            }
            return false;
        }, Duration.ofSeconds(60));
        return found[0];
    }

    /** As TestHome.await, with qmail-send's log in the failure. */
    static void awaitWithLog(String what, java.util.concurrent.Callable<Boolean> check, Duration limit)
            throws Exception {
        try {
            TestHome.await(what, check, limit);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nqmail-send said:\n" + send.out(), e);
        }
    }

    @Test
    void localToLocalIsQueuedWithTheUsersUidAndDelivered() throws Exception {
        TestHome.Result r = asUser("to: jqinject\nSubject: local-local\n\n".getBytes(StandardCharsets.US_ASCII),
                "qmail-inject");
        assertEquals(0, r.exit(), r.errText());
        String m = waitForMessage(userHome.resolve("Maildir"), "Subject: local-local");
        assertTrue(m.contains("\nFrom: jqinject@test.example\n"), m);
        assertTrue(m.contains("\nto: jqinject@test.example\n"), m);
        int uid = TestHome.uid(USER);
        TestHome.await("info line with the user's uid",
                () -> send.out().contains("from <jqinject@test.example> qp ") && send.out().contains(" uid " + uid + "\n"),
                Duration.ofSeconds(30));
        assertTrue(send.out().contains("delivery "), send.out());
    }

    @Test
    void unknownLocalAddressBouncesBackToTheSender() throws Exception {
        TestHome.Result r = asUser("to: nonexistent\nSubject: local-error\n\n".getBytes(StandardCharsets.US_ASCII),
                "qmail-inject");
        assertEquals(0, r.exit(), r.errText());
        String m = waitForMessage(userHome.resolve("Maildir"), "Subject: local-error");
        assertTrue(m.contains("Sorry, no mailbox here by that name. (#5.1.1)"), m);
        assertTrue(m.contains("<nonexistent@test.example>"), m);
    }

    @Test
    void postmasterInAnyCaseReachesTheAliasUser() throws Exception {
        TestHome.Result r = asUser("to: POSTmaster\nSubject: postmaster test\n\n".getBytes(StandardCharsets.US_ASCII),
                "qmail-inject");
        assertEquals(0, r.exit(), r.errText());
        waitForMessage(aliasMaildir, "Subject: postmaster test");
    }

    @Test
    void doubleBounceLandsWithThePostmaster() throws Exception {
        TestHome.Result r = asUser("To: unknownuser\nSubject: double bounce\n\nbody\n".getBytes(StandardCharsets.US_ASCII),
                "qmail-inject", "-f", "nonexistent");
        assertEquals(0, r.exit(), r.errText());
        String m = waitForMessage(aliasMaildir, "Subject: double bounce");
        assertTrue(m.contains("unknownuser@test.example"), m);
    }

    @Test
    void deliveriesRunWithOnlyThePrimaryGroup() throws Exception {
        Path dotQmail = userHome.resolve(".qmail-groups");
        Files.writeString(dotQmail, "|groups >> MYGROUPS; exit 0\n");
        chown(dotQmail, USER);
        Files.deleteIfExists(userHome.resolve("MYGROUPS"));
        TestHome.Result r = asUser(new byte[0], "qmail-inject", USER + "-groups");
        assertEquals(0, r.exit(), r.errText());
        awaitWithLog("MYGROUPS", () -> Files.exists(userHome.resolve("MYGROUPS")), Duration.ofSeconds(60));
        String primary = TestHome.exec(List.of("id", "-gn", USER), null, Duration.ofSeconds(30)).outText().trim();
        TestHome.await("MYGROUPS written", () -> Files.readString(userHome.resolve("MYGROUPS")).endsWith("\n"),
                Duration.ofSeconds(10));
        assertEquals(primary + "\n", Files.readString(userHome.resolve("MYGROUPS")));
    }

    @Test
    void sendmailDashTBehavesForCron() throws Exception {
        TestHome.Result r = asUser(("From: Cron Daemon <jqinject>\nTo: jqinject\nSubject: cron output\n\n"
                + "output\n").getBytes(StandardCharsets.US_ASCII), "sendmail", "-FCronDaemon", "-i", "-t");
        assertEquals(0, r.exit(), r.errText());
        String m = waitForMessage(userHome.resolve("Maildir"), "Subject: cron output");
        assertTrue(m.contains("From: Cron Daemon <jqinject@test.example>"), m);
    }
}
