package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * STARTTLS and SMTPS in qmail-smtpd (doc/TLS.md §3), with {@code control/servercert.pem} made by
 * {@code scripts/install --selfsigned-cert}, in all three modes at once: the listener, tcpserver
 * running the JVM qmail-smtpd, and tcpserver handing over to the listener; and SMTPS from the
 * listener's {@code -S} and from tcpserver with {@code SMTPS} set. Real clients: swaks,
 * {@code openssl s_client -starttls smtp}, and the JDK's TLS for the injected-command test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmtpTlsIT {
    static final Duration LIMIT = Duration.ofSeconds(60);
    static final Pattern ACCEPT = Pattern.compile("250 ok \\d+ qp (\\d+)");

    ReceiveRig rig;
    /** STARTTLS ports: listener, tcpserver with the JVM qmail-smtpd, tcpserver with the hand-off. */
    int[] ports;
    int smtpsListener;
    int smtpsHandoff;

    @BeforeAll
    void start() throws Exception {
        rig = ReceiveRig.create("--selfsigned-cert");
        rig.startSmtpd(ReceiveRig.Mode.LISTENER);
        int listener = rig.port;
        int jvm = ReceiveRig.awaitPort(rig.startTcpserver(null, rig.home.bin("qmail-smtpd-jvm").toString()));
        int handoff = ReceiveRig.awaitPort(rig.startTcpserver(null, rig.home.bin("qmail-smtpd").toString()));
        ports = new int[] {listener, jvm, handoff};
        List<String> argv = new java.util.ArrayList<>(List.of(rig.home.bin("qmail-smtpd-listener").toString(), "-1",
                "-S", "-H", "-l", "test.example", "-X"));
        if (TestHome.isRoot()) {
            argv.addAll(List.of("-u", "qmaild", "-g", "nofiles"));
        }
        argv.addAll(List.of("127.0.0.1", "0"));
        smtpsListener = ReceiveRig.awaitPort(rig.home.start(argv.toArray(new String[0])));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SMTPS", "1");
        smtpsHandoff = ReceiveRig.awaitPort(rig.startTcpserver(env, rig.home.bin("qmail-smtpd").toString()));
    }

    @AfterAll
    void stop() throws IOException {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void installMakesTheKeyFileReadableByQmaildOnly() throws IOException {
        Path pem = rig.home.control().resolve("servercert.pem");
        assertEquals("r--------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pem)));
        if (TestHome.isRoot()) {
            assertEquals("qmaild", Files.getOwner(pem).getName());
        }
        String text = Files.readString(pem, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("-----BEGIN CERTIFICATE-----") && text.contains("PRIVATE KEY-----"), text);
    }

    @Test
    void doctorSaysWhenTheKeyFileIsOpenToOthers() throws IOException {
        Path pem = rig.home.control().resolve("servercert.pem");
        TestHome.Result r = rig.home.run(new byte[0], "qmailctl", "doctor");
        assertTrue(r.outText().contains("ok: " + pem + " readable by " + Files.getOwner(pem).getName() + " only\n"),
                r.outText());
        try {
            Files.setPosixFilePermissions(pem, PosixFilePermissions.fromString("rw-r--r--"));
            r = rig.home.run(new byte[0], "qmailctl", "doctor");
            assertTrue(r.outText().contains("PROBLEM: " + pem + " has mode 0644; it holds a private key and must be"
                    + " 0400 or 0600 (chmod 400 " + pem + ")\n"), r.outText());
        } finally {
            Files.setPosixFilePermissions(pem, PosixFilePermissions.fromString("r--------"));
        }
    }

    private static TestHome.Result swaks(String... args) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of("swaks", "-f", "me@example.org", "-t",
                "joe@test.example", "--helo", "relay.example", "--body", "over tls"));
        argv.addAll(List.of(args));
        return TestHome.exec(argv, null, LIMIT);
    }

    /** The queued message of a swaks transcript's accepted DATA. */
    private String queued(TestHome.Result r) throws IOException {
        Matcher m = ACCEPT.matcher(r.outText());
        assertTrue(m.find(), r.outText() + r.errText());
        return rig.byQp(Long.parseLong(m.group(1))).orElseThrow().messText();
    }

    @Test
    void swaksDeliversWithStarttlsInEveryModeAndTheReceivedLineSaysEsmtps() throws IOException {
        for (int port : ports) {
            TestHome.Result r = swaks("--tls", "-s", "127.0.0.1:" + port);
            assertEquals(0, r.exit(), r.outText());
            assertTrue(r.outText().contains("<-  220 ready for tls"), r.outText());
            assertTrue(r.outText().contains("=== TLS started with cipher TLSv1.3"), r.outText());
            String mess = queued(r);
            assertTrue(mess.matches("(?s)Received: \\(qmail \\d+ invoked from network\\); [^\n]*\n"
                    + "Received: from unknown \\(HELO relay.example\\) \\(127.0.0.1\\)\n"
                    + "  by test.example with ESMTPS; [^\n]*\n.*over tls.*"), mess);
        }
    }

    @Test
    void opensslStarttlsGetsARestartedSessionWithoutSecondStarttls() throws IOException {
        for (int port : ports) {
            TestHome.Result r = TestHome.exec(List.of("openssl", "s_client", "-starttls", "smtp", "-connect",
                    "127.0.0.1:" + port, "-quiet", "-verify_quiet"), "EHLO again\r\nSTARTTLS\r\nQUIT\r\n".getBytes(
                            StandardCharsets.ISO_8859_1), LIMIT);
            assertEquals("250-test.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n502 unimplemented (#5.5.1)\r\n"
                    + "221 test.example\r\n", r.outText(), r.errText());
        }
    }

    @Test
    void ehloOffersStarttlsAndParametersAreRefused() throws IOException {
        for (int port : ports) {
            try (Smtp s = Smtp.connect(port, "127.0.0.1")) {
                assertEquals("220 test.example ESMTP", s.reply());
                assertEquals("250-test.example\n250-PIPELINING\n250-STARTTLS\n250 8BITMIME", s.cmd("EHLO dude"));
                assertEquals("501 Syntax error (no parameters allowed) (#5.5.4)", s.cmd("STARTTLS now"));
                assertEquals("221 test.example", s.cmd("QUIT"));
            }
        }
    }

    /**
     * CVE-2011-0411: a command sent in clear text behind STARTTLS, before the handshake, must
     * not be run inside the TLS session. The injected MAIL leaves the session without one.
     */
    @Test
    void commandPipelinedBeforeTheHandshakeIsDiscarded() throws IOException {
        for (int port : ports) {
            try (Smtp s = Smtp.connect(port, "127.0.0.1")) {
                assertEquals("220 test.example ESMTP", s.reply());
                s.cmd("EHLO dude");
                s.send("STARTTLS\r\nMAIL FROM:<injected@example.org>\r\n");
                assertEquals("220 ready for tls", s.reply());
                assertTrue(s.startTls().startsWith("TLSv1."));
                assertEquals("503 MAIL first (#5.5.1)", s.cmd("RCPT TO:<joe@test.example>"), "port " + port);
                assertEquals("250-test.example\n250-PIPELINING\n250 8BITMIME", s.cmd("EHLO dude"));
                assertEquals("221 test.example", s.cmd("QUIT"));
            }
        }
    }

    @Test
    void smtpsFromTheListenerAndFromTcpserverTakesSwaksTlsOnConnect() throws IOException {
        for (int port : new int[] {smtpsListener, smtpsHandoff}) {
            TestHome.Result r = swaks("--tls-on-connect", "-s", "127.0.0.1:" + port);
            assertEquals(0, r.exit(), r.outText());
            assertTrue(r.outText().contains("<~  220 test.example ESMTP"), r.outText());
            assertTrue(queued(r).contains("  by test.example with ESMTPS; "));
        }
    }
}
