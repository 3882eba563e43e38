package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The hand-off of tcpserver's connections to the listener (doc/HANDOFF.md), with real
 * processes: qmail-queued, a listener without a port taking the hand-offs, tcpserver running
 * {@code bin/qmail-smtpd} (the C hand-off) and tcpserver running {@code bin/qmail-smtpd-jvm},
 * and a listener with a TCP port of its own in the same installation.
 *
 * <p>What a user must be able to count on: the same message is queued byte for byte the same
 * whichever way it came in; the session's exit status is what tcpserver logs; wrappers in
 * front (softlimit, rblsmtpd with RBLSMTPD set so that it looks nothing up, recordio with its
 * pipes) keep working; a hand-off from any user but root and qmaild is refused and logged
 * (the threat: a local user handing over a connection with a forged RELAYCLIENT to relay
 * through us); and when no listener runs, mail still comes in through the JVM qmail-smtpd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandoffIT {
    static final Pattern ACCEPT = Pattern.compile("250 ok (\\d+) qp (\\d+)");
    static final Pattern HANDOFF_LINE = Pattern.compile("qmail-smtpd-listener: handoff (\\d+) from 127\\.0\\.0\\.1\n");

    ReceiveRig rig;
    int handoffPort;
    int jvmPort;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/cc")), "needs a C compiler");
        rig = ReceiveRig.create();
        rig.startHandoff();
        handoffPort = ReceiveRig.awaitPort(rig.startTcpserver(null, rig.home.bin("qmail-smtpd").toString()));
        jvmPort = ReceiveRig.awaitPort(rig.startTcpserver(null, rig.home.bin("qmail-smtpd-jvm").toString()));
        rig.startSmtpd(ReceiveRig.Mode.LISTENER);
    }

    @AfterAll
    void stop() throws IOException {
        if (rig != null) {
            rig.close();
        }
    }

    private static long qp(String reply) {
        Matcher m = ACCEPT.matcher(reply);
        assertTrue(m.matches(), reply);
        return Long.parseLong(m.group(2));
    }

    /** A whole session from {@code from}: HELO, one message, QUIT; returns the message's qp. */
    private static long send(int port, String from, String data) throws IOException {
        try (Smtp s = Smtp.connect(port, from)) {
            assertEquals("220 test.example ESMTP", s.reply());
            assertEquals("250 test.example", s.cmd("HELO relay.example"));
            assertEquals("250 ok", s.cmd("MAIL FROM:<me@example.org>"));
            assertEquals("250 ok", s.cmd("RCPT TO:<joe@elsewhere.example>"));
            assertEquals("354 go ahead", s.cmd("DATA"));
            s.send(data);
            long qp = qp(s.reply());
            assertEquals("221 test.example", s.cmd("QUIT"));
            assertTrue(s.closedByServer());
            return qp;
        }
    }

    /** The queued message as text, its qp and dates replaced by fixed words. */
    private String queued(long qp) throws IOException {
        ReceiveRig.Queued q = rig.byQp(qp).orElseThrow();
        String both = q.todoText() + "|" + q.messText();
        return SmtpDialogueIT.DATE.matcher(both.replace(Long.toString(qp), "QP")).replaceAll("DATE");
    }

    private int handoffs() {
        return (int) HANDOFF_LINE.matcher(rig.handoff.err()).results().count();
    }

    @Test
    void theSameMessageIsQueuedByteForByteInAllThreeModes() throws Exception {
        String data = "Subject: three ways\r\nX-8bit: \u00e9\u00ff\r\n\r\n..dot\r\nbare\rcr\r\n.\r\n";
        int before = handoffs();
        String viaHandoff = queued(send(handoffPort, "127.0.0.1", data));
        assertEquals(before + 1, handoffs(), rig.handoff.err());
        String viaJvm = queued(send(jvmPort, "127.0.0.1", data));
        String viaListener = queued(send(rig.port, "127.0.0.1", data));
        assertEquals(before + 1, handoffs(), "only the hand-off port hands off");
        assertEquals("u" + ReceiveRig.smtpdUid() + "\0pQP\0Fme@example.org\0Tjoe@elsewhere.example\0|"
                + "Received: (qmail QP invoked from network); DATE\n"
                + "Received: from unknown (HELO relay.example) (127.0.0.1)\n"
                + "  by test.example with SMTP; DATE\n"
                + "Subject: three ways\nX-8bit: \u00e9\u00ff\n\n.dot\nbare\rcr\n", viaHandoff);
        assertEquals(viaHandoff, viaJvm);
        assertEquals(viaHandoff, viaListener);
        // The listener with a port found the hand-off socket served and left it alone.
        assertTrue(rig.smtpd.err().contains("qmail-smtpd-listener: warning: not taking hand-offs: "
                + rig.handoffSocket() + " is served by another listener\n"), rig.smtpd.err());
    }

    @Test
    void theSessionsExitStatusIsWhatTcpserverLogs() throws Exception {
        TestHome.Proc t = rig.startTcpserver(null, rig.home.bin("qmail-smtpd").toString());
        try {
            int port = ReceiveRig.awaitPort(t);
            try (Smtp s = Smtp.connect(port, "127.0.0.1")) {
                assertEquals("220 test.example ESMTP", s.reply());
                assertEquals("221 test.example", s.cmd("QUIT"));
            }
            TestHome.await("tcpserver's end line after QUIT", () -> t.err().matches("(?s).*end \\d+ status 0\n.*"),
                    ReceiveRig.START);
            try (Smtp s = Smtp.connect(port, "127.0.0.1")) {
                assertEquals("220 test.example ESMTP", s.reply());
                assertEquals("250 test.example", s.cmd("HELO x"));
            }
            TestHome.await("tcpserver's end line after a dropped connection",
                    () -> t.err().matches("(?s).*end \\d+ status 256\n.*"), ReceiveRig.START);
            assertTrue(rig.handoff.err().matches("(?s).*qmail-smtpd-listener: end \\d+ status 256\n.*"));
        } finally {
            rig.home.stop(t);
        }
    }

    @Test
    void aHandedOverConnectionCountsAgainstTheListenersLimitPerAddress() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("MAXCONNIP", "1");
        TestHome.Proc t = rig.startTcpserver(env, rig.home.bin("qmail-smtpd").toString());
        try {
            int port = ReceiveRig.awaitPort(t);
            try (Smtp first = Smtp.connect(port, "127.0.0.2")) {
                assertEquals("220 test.example ESMTP", first.reply());
                try (Smtp second = Smtp.connect(port, "127.0.0.2")) {
                    assertEquals("421 too many connections from your IP address (#4.7.0)", second.line());
                    assertEquals(null, second.line());
                }
                assertEquals("250 test.example", first.cmd("HELO x"));
            }
            TestHome.await("tcpserver's end line of the refused connection",
                    () -> t.err().matches("(?s).*end \\d+ status 256\n.*"), ReceiveRig.START);
        } finally {
            rig.home.stop(t);
        }
    }

    @Test
    void softlimitRblsmtpdAndRecordioInFrontKeepWorking() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        // Set, so rblsmtpd looks nothing up: empty lets the client through; the rules give
        // 127.0.0.5 a value starting with a hyphen, which makes rblsmtpd refuse it with 553.
        env.put("RBLSMTPD", "");
        // The classic limit leaves a dynamically linked program no room to map libc: the static
        // hand-off runs under it, so softlimit comes last, after the Debian programs.
        TestHome.Proc t = rig.startTcpserver(env, "/usr/bin/rblsmtpd", "/usr/bin/recordio",
                "/usr/bin/softlimit", "-m", "2000000", rig.home.bin("qmail-smtpd").toString());
        try {
            int port = ReceiveRig.awaitPort(t);
            int before = handoffs();
            String queued = queued(send(port, "127.0.0.1", "Subject: wrapped\r\n\r\nx\r\n.\r\n"));
            assertTrue(queued.endsWith("Subject: wrapped\n\nx\n"), queued);
            assertEquals(before + 1, handoffs(), rig.handoff.err());
            // recordio ends each whole line it copies with a space before the newline.
            TestHome.await("recordio's transcript", () -> t.err().contains(" > 221 test.example\r \n"), ReceiveRig.START);
            assertTrue(t.err().contains(" > 220 test.example ESMTP\r \n"), t.err());
            assertTrue(t.err().contains(" < QUIT\r \n"), t.err());
            try (Smtp s = Smtp.connect(port, "127.0.0.5")) {
                assertEquals("220 rblsmtpd.local", s.reply());
                assertEquals("250 rblsmtpd.local", s.cmd("HELO x"));
                assertEquals("250 rblsmtpd.local", s.cmd("MAIL FROM:<a@b>"));
                assertEquals("553 blocked by the test", s.cmd("RCPT TO:<joe@test.example>"));
                assertEquals("221 rblsmtpd.local", s.cmd("QUIT"));
            }
            assertEquals(before + 1, handoffs(), "rblsmtpd answered 127.0.0.5 itself");
        } finally {
            rig.home.stop(t);
        }
    }

    @Test
    void withoutACompilerInstallSaysSoOnceAndBinQmailSmtpdIsTheJvmProgram() throws Exception {
        Path dir = Files.createTempDirectory(TestHome.base(), "nocc-");
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            // Every command on PATH but the C compilers.
            Path farm = Files.createDirectories(dir.resolve("bin"));
            Pattern compiler = Pattern.compile("cc|c89|c99|gcc.*|.*-gcc(-.*)?|clang.*|x86_64-linux-gnu-.*|tcc");
            for (String d : (System.getenv("PATH") + ":/usr/sbin:/sbin").split(":")) {
                Path pd = Path.of(d);
                if (d.isEmpty() || !Files.isDirectory(pd)) {
                    continue;
                }
                try (var files = Files.list(pd)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        String n = f.getFileName().toString();
                        if (!compiler.matcher(n).matches() && !Files.exists(farm.resolve(n), LinkOption.NOFOLLOW_LINKS)) {
                            Files.createSymbolicLink(farm.resolve(n), f);
                        }
                    }
                }
            }
            Path prefix = dir.resolve("qmail");
            ProcessBuilder pb = new ProcessBuilder("bash", TestHome.installScript().toString(), "--prefix",
                    prefix.toString(), "--fqdn", TestHome.FQDN, "--no-archives").redirectErrorStream(true);
            pb.environment().put("PATH", farm.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), ISO_8859_1);
            assertEquals(0, p.waitFor(), out);
            assertEquals(List.of("install: no C compiler (cc): bin/qmail-smtpd is the JVM program, one JVM per connection"),
                    out.lines().filter(l -> l.contains("compiler") || l.contains("bin/qmail-smtpd")).toList(), out);
            assertEquals(Files.readString(prefix.resolve("bin/qmail-smtpd-jvm")), Files.readString(prefix.resolve("bin/qmail-smtpd")));
            TestHome.Result r = TestHome.exec(List.of(prefix.resolve("bin/qmail-smtpd").toString()),
                    "QUIT\r\n".getBytes(ISO_8859_1), Duration.ofMinutes(1));
            assertEquals("220 test.example ESMTP\r\n221 test.example\r\n", r.outText());
        } finally {
            TestHome.exec(List.of("rm", "-rf", dir.toString()), null, Duration.ofMinutes(1));
        }
    }

    @Test
    void aHandoffFromAnyoneButRootAndQmaildIsRefusedAndLogged() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: runs bin/qmail-smtpd as nobody");
        int nobody = TestHome.uid("nobody");
        int before = handoffs();
        Path dir = rig.handoffSocket().getParent();
        // An administrator's mistake opens the directory: the peer check still holds.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        TestHome.Result r;
        try {
            r = TestHome.exec(List.of("setpriv", "--reuid=" + nobody, "--regid=" + TestHome.gid("nobody"),
                    "--clear-groups", "env", "-", "TCPREMOTEIP=192.0.2.1", "TCPLOCALHOST=test.example",
                    "RELAYCLIENT=", rig.home.bin("qmail-smtpd").toString()),
                    ("HELO forged.example\r\nMAIL FROM:<spam@example.org>\r\nRCPT TO:<victim@elsewhere.example>\r\n"
                            + "DATA\r\nSubject: forged\r\n\r\nx\r\n.\r\nQUIT\r\n").getBytes(ISO_8859_1),
                    Duration.ofMinutes(1));
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        assertTrue(rig.handoff.err().matches("(?s).*qmail-smtpd-listener: warning: refused hand-off from uid "
                + nobody + " pid \\d+\n.*"), rig.handoff.err());
        assertEquals(before, handoffs());
        // Refused, bin/qmail-smtpd ran the JVM qmail-smtpd as nobody: what nobody could have run
        // anyway, and qmail-queued records the message as nobody's, not as one from qmaild.
        String[] lines = r.outText().split("\r\n");
        assertEquals("220 test.example ESMTP", lines[0], r.outText());
        long qp = qp(lines[5]);
        assertTrue(rig.byQp(qp).orElseThrow().todoText().startsWith("u" + nobody + "\0"));
    }

    @Test
    void withoutAListenerTheJvmQmailSmtpdServesAndALaterListenerReplacesTheStaleSocket() throws Exception {
        rig.home.stop(rig.handoff);
        assertTrue(Files.exists(rig.handoffSocket()), "a killed listener leaves its socket behind");
        String data = "Subject: fallback\r\n\r\nx\r\n.\r\n";
        String viaJvm = queued(send(handoffPort, "127.0.0.1", data));
        rig.startHandoff();
        assertEquals(0, handoffs());
        String viaHandoff = queued(send(handoffPort, "127.0.0.1", data));
        assertEquals(1, handoffs(), rig.handoff.err());
        assertEquals(viaHandoff, viaJvm);
        assertFalse(rig.handoff.err().contains("warning"), rig.handoff.err());
    }
}
