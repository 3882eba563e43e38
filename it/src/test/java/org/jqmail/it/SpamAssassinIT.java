package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Debian's SpamAssassin beside jqmail: a spamd of our own on a loopback port (local tests only,
 * no user configuration, its configuration and pid file in the test's directory), and the two
 * recipes of README.md "Living with other tools": {@code bin/qmail-spamc} as {@code QMAILQUEUE}
 * for the listener (etc/tcp.smtp), for tcpserver with the hand-off, and for qmail-inject; and a
 * {@code .qmail} line with condredirect and {@code spamc -c}. GTUBE arrives tagged (or in the
 * Spam folder), a clean message gets nothing but SpamAssassin's version line (or nothing at
 * all), and with spamd down mail flows untagged; a spamc that fails is a temporary failure.
 */
@Tag("root")
class SpamAssassinIT {
    static final String USER = "jqspam";
    static final String GTUBE = "From: a@example.org\nSubject: buy\n\n"
            + "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\n";
    static final String CLEAN = "From: a@example.org\nTo: " + USER + "@test.example\n"
            + "Date: Mon, 7 Dec 2026 20:00:00 +0000\nMessage-ID: <1@example.org>\nSubject: lunch\n\n"
            + "Lunch at noon?\n";
    static Beside b;
    static TestHome.Proc spamd;
    static int spamPort;
    static int deadPort;

    @BeforeAll
    static void start() throws Exception {
        b = Beside.prepare(USER, "/usr/sbin/spamd");
        Path conf = Files.createDirectories(b.home.dir().resolve("spamassassin"));
        try (Stream<Path> s = Files.list(Path.of("/etc/spamassassin"))) {
            for (Path pre : s.filter(p -> p.toString().endsWith(".pre")).toList()) {
                Files.copy(pre, conf.resolve(pre.getFileName()));
            }
        }
        Files.writeString(conf.resolve("local.cf"), "report_safe 0\nuse_bayes 0\ndns_available no\n"
                + "skip_rbl_checks 1\nclear_headers\nadd_header spam Flag _YESNOCAPS_\n"
                + "add_header spam Status _YESNO_, score=_SCORE_ required=_REQD_ tests=_TESTS_\n");
        TestHome.exec(List.of("chmod", "-R", "a+rX", conf.toString()), null, Beside.WAIT);
        spamPort = TestHome.freePort();
        deadPort = TestHome.freePort();
        b.tcpRules("127.:allow,RELAYCLIENT=\"\",QMAILQUEUE=\"" + b.home.bin("qmail-spamc")
                + "\",SPAMC_ARGS=\"-d 127.0.0.1 -p " + spamPort + "\"\n:allow\n");
        b.start();
        spamd = b.home.start("/usr/sbin/spamd", "--listen", "127.0.0.1:" + spamPort, "--local", "--nouser-config",
                "--siteconfigpath", conf.toString(), "--pidfile", conf.resolve("spamd.pid").toString(),
                "--username", "nobody", "--max-children", "1", "--syslog", "stderr");
        TestHome.await("spamd answering PING", () -> {
            if (!spamd.alive()) {
                throw new AssertionError("spamd died: " + spamd.err());
            }
            return TestHome.exec(List.of("/usr/bin/spamc", "-d", "127.0.0.1", "-p", Integer.toString(spamPort), "-K"),
                    null, Beside.WAIT).exit() == 0;
        }, java.time.Duration.ofMinutes(3));
        Path spam = b.uhome.resolve("Maildir/.Spam");
        MailSystem.maildir(USER, spam);
        String rule = "|condredirect " + USER + "-spam sh -c 'spamc -c -d 127.0.0.1 -p %d > /dev/null; test $? = 1'\n"
                + "./Maildir/\n";
        MailSystem.dotQmail(USER, b.uhome, ".qmail-sorted", String.format(rule, spamPort));
        MailSystem.dotQmail(USER, b.uhome, ".qmail-down", String.format(rule, deadPort));
        MailSystem.dotQmail(USER, b.uhome, ".qmail-spam", "./Maildir/.Spam/\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) {
            b.close();
        }
    }

    @BeforeEach
    void emptyMaildirs() throws Exception {
        b.sys.awaitIdle();
        for (String d : List.of("Maildir/new", "Maildir/.Spam/new")) {
            try (Stream<Path> s = Files.list(b.uhome.resolve(d))) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    static String one(String maildir) throws Exception {
        List<String> l = b.mail(maildir, 1);
        assertEquals(1, l.size(), l.toString());
        return l.get(0);
    }

    static void assertTagged(String m) {
        assertTrue(m.contains("\nX-Spam-Flag: YES\n") && m.contains("\nX-Spam-Status: Yes, score="), m);
        assertTrue(m.endsWith(GTUBE.substring(GTUBE.indexOf("\n\n"))), m);
    }

    static void assertUntagged(String m, String sent) {
        assertFalse(m.contains("X-Spam-Flag"), m);
        assertFalse(m.contains("X-Spam-Status"), m);
        assertTrue(m.endsWith(sent), m);
    }

    @Test
    void theListenerTagsGtubeAndLeavesACleanMessageAlone() throws Exception {
        b.deliver("a@example.org", USER + "@test.example", GTUBE);
        assertTagged(one("Maildir"));
        emptyMaildirs();
        b.deliver("a@example.org", USER + "@test.example", CLEAN);
        // SpamAssassin always adds its version line; the rest is the message as sent.
        String ham = one("Maildir");
        assertTrue(ham.endsWith("\n" + CLEAN), ham);
        List<String> added = ham.lines().filter(l -> l.startsWith("X-Spam-")).toList();
        assertEquals(1, added.size(), ham);
        assertTrue(added.get(0).startsWith("X-Spam-Checker-Version: SpamAssassin "), ham);
    }

    @Test
    void tcpserverWithTheHandOffTagsGtube() throws Exception {
        TestHome.Proc t = b.home.start("/usr/bin/tcpserver", "-1", "-v", "-R", "-H", "-l", "test.example",
                "-x", b.home.etc().resolve("tcp.smtp.cdb").toString(), "-u", Integer.toString(TestHome.uid("qmaild")),
                "-g", Integer.toString(TestHome.gid("qmaild")), "127.0.0.1", "0", b.home.bin("qmail-smtpd").toString());
        try (Smtp s = Smtp.connect(ReceiveRig.awaitPort(t), "127.0.0.1")) {
            assertEquals("220 test.example ESMTP", s.reply());
            assertEquals("250 test.example", s.cmd("HELO relay.example"));
            assertEquals("250 ok", s.cmd("MAIL FROM:<a@example.org>"));
            assertEquals("250 ok", s.cmd("RCPT TO:<" + USER + "@test.example>"));
            assertEquals("354 go ahead", s.cmd("DATA"));
            s.send(GTUBE.replace("\n", "\r\n") + ".\r\n");
            assertTrue(s.reply().startsWith("250 ok "));
            assertEquals("221 test.example", s.cmd("QUIT"));
        } finally {
            b.home.stop(t);
        }
        assertTagged(one("Maildir"));
    }

    /** qmail-inject as the user, with QMAILQUEUE and SPAMC_ARGS in its environment. */
    static TestHome.Result inject(String spamcArgs, String message) throws Exception {
        return b.asUser(("To: " + USER + "\n" + message).getBytes(ISO_8859_1), Map.of("QMAILQUEUE",
                b.home.bin("qmail-spamc").toString(), "SPAMC_ARGS", spamcArgs), "qmail-inject");
    }

    @Test
    void qmailInjectThroughTheFilterAndWithSpamdDown() throws Exception {
        TestHome.Result r = inject("-d 127.0.0.1 -p " + spamPort, GTUBE);
        assertEquals(0, r.exit(), r.errText());
        assertEquals("", r.errText(), "nothing but qmail-inject's own words on the user's terminal");
        assertTagged(one("Maildir"));
        emptyMaildirs();
        // spamd down: spamc hands the message back and it flows untagged.
        r = inject("-d 127.0.0.1 -p " + deadPort, GTUBE);
        assertEquals(0, r.exit(), r.errText());
        assertUntagged(one("Maildir"), GTUBE.substring(GTUBE.indexOf("\n\n")));
        emptyMaildirs();
        // spamc itself failing: a temporary failure the sender keeps the message for.
        r = inject("--no-such-option", GTUBE);
        assertEquals(111, r.exit(), r.errText());
        assertEquals("Error in argument 1 : option not found --no-such-option\n"
                + "qmail-inject: fatal: mail server temporarily rejected message (#4.3.0)\n", r.errText());
        b.sys.awaitIdle();
        assertEquals(List.of(), MailSystem.newMail(b.uhome.resolve("Maildir")));
    }

    /** qmail-inject as the user without a filter (the listener's goes through spamc). */
    static void plain(String to, String message) throws Exception {
        TestHome.Result r = b.asUser(message.getBytes(ISO_8859_1), Map.of(), "qmail-inject", to);
        assertEquals(0, r.exit(), r.errText());
        b.sys.awaitIdle();
    }

    @Test
    void aDotQmailLineSortsSpamIntoAFolder() throws Exception {
        plain(USER + "-sorted", GTUBE);
        String spam = one("Maildir/.Spam");
        assertTrue(spam.endsWith(GTUBE.substring(GTUBE.indexOf("\n\n"))), spam);
        assertUntagged(spam, "");
        assertEquals(List.of(), MailSystem.newMail(b.uhome.resolve("Maildir")));
        plain(USER + "-sorted", CLEAN);
        assertUntagged(one("Maildir"), CLEAN.substring(CLEAN.indexOf("Date: ")));
        emptyMaildirs();
        plain(USER + "-down", GTUBE);
        assertUntagged(one("Maildir"), GTUBE.substring(GTUBE.indexOf("\n\n")));
        assertEquals(List.of(), MailSystem.newMail(b.uhome.resolve("Maildir/.Spam")));
    }
}
