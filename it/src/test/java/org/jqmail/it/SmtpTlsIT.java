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
    static final String AUTH_EHLO = "250-AUTH LOGIN PLAIN\r\n250-AUTH=LOGIN PLAIN\r\n";
    static final Pattern ACCEPT = Pattern.compile("250 ok \\d+ qp (\\d+)");

    ReceiveRig rig;
    /** STARTTLS ports: listener, tcpserver with the JVM qmail-smtpd, tcpserver with the hand-off. */
    int[] ports;
    int smtpsListener;
    int smtpsHandoff;
    int submission;
    TestHome.Proc listenerProc;

    @BeforeAll
    void start() throws Exception {
        rig = ReceiveRig.create("--selfsigned-cert");
        Path checkpw = rig.home.dir().resolve("checkpw");
        Files.writeString(checkpw, CHECKPW);
        Files.setPosixFilePermissions(checkpw, PosixFilePermissions.fromString("rwxr-xr-x"));
        String[] auth = {"test.example", checkpw.toString(), "/bin/true"};
        listenerProc = listener(null, List.of("-x", rig.home.etc().resolve("tcp.smtp.cdb").toString()), auth);
        int listener = ReceiveRig.awaitPort(listenerProc);
        int jvm = ReceiveRig.awaitPort(rig.startTcpserver(null, cat(rig.home.bin("qmail-smtpd-jvm").toString(), auth)));
        int handoff = ReceiveRig.awaitPort(rig.startTcpserver(null, cat(rig.home.bin("qmail-smtpd").toString(), auth)));
        ports = new int[] {listener, jvm, handoff};
        smtpsListener = ReceiveRig.awaitPort(listener(null, List.of("-S"), auth));
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("SMTPS", "1");
        smtpsHandoff = ReceiveRig.awaitPort(rig.startTcpserver(env, rig.home.bin("qmail-smtpd").toString()));
        env = new HashMap<>(System.getenv());
        env.put("SUBMISSION", "1");
        submission = ReceiveRig.awaitPort(listener(env, List.of(), auth));
    }

    /** A bash checkpassword program: joe's password is s3cret. */
    static final String CHECKPW = "#!/bin/bash\nIFS= read -r -d '' u <&3; IFS= read -r -d '' p <&3\n"
            + "[ \"$u\" = joe ] && [ \"$p\" = s3cret ] && exec \"$@\"\nexit 1\n";

    private static String[] cat(String first, String... rest) {
        List<String> l = new java.util.ArrayList<>(List.of(first));
        l.addAll(List.of(rest));
        return l.toArray(new String[0]);
    }

    /** A listener on a new port with qmail-smtpd's arguments {@code auth}. */
    private TestHome.Proc listener(Map<String, String> env, List<String> opts, String... auth) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of(rig.home.bin("qmail-smtpd-listener").toString(), "-1",
                "-H", "-l", "test.example", "-X"));
        argv.addAll(opts);
        if (TestHome.isRoot()) {
            argv.addAll(List.of("-u", "qmaild", "-g", "nofiles"));
        }
        argv.addAll(List.of("127.0.0.1", "0"));
        argv.addAll(List.of(auth));
        return rig.home.start(env, argv.toArray(new String[0]));
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
        List<String> argv = new java.util.ArrayList<>(List.of("swaks", "-f", "me@example.org", "--helo",
                "relay.example", "--body", "over tls"));
        if (!List.of(args).contains("-t")) {
            argv.addAll(List.of("-t", "joe@test.example"));
        }
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
            assertEquals("250-test.example\r\n250-PIPELINING\r\n" + AUTH_EHLO + "250 8BITMIME\r\n502 unimplemented (#5.5.1)\r\n"
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
                assertEquals("250-test.example\n250-PIPELINING\n" + AUTH_EHLO.replace("\r", "") + "250 8BITMIME",
                        s.cmd("EHLO dude"));
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

    private static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Connects from 127.0.0.2 (no RELAYCLIENT in the rules), says EHLO and STARTTLS. */
    private static Smtp tls(int port) throws IOException {
        Smtp s = Smtp.connect(port, "127.0.0.2");
        assertEquals("220 test.example ESMTP", s.reply());
        assertTrue(s.cmd("EHLO dude").endsWith("250-STARTTLS\n250 8BITMIME"));
        assertEquals("220 ready for tls", s.cmd("STARTTLS"));
        s.startTls();
        return s;
    }

    @Test
    void swaksAuthPlainOverTlsRelaysInEveryModeAndTheListenerLogsTheUser() throws IOException {
        for (int port : ports) {
            TestHome.Result r = swaks("--tls", "-s", "127.0.0.1:" + port, "--local-interface", "127.0.0.2",
                    "-t", "kim@elsewhere.example", "-a", "PLAIN", "-au", "joe", "-ap", "s3cret");
            assertEquals(0, r.exit(), r.outText());
            assertTrue(r.outText().contains("<~  235 ok, go ahead (#2.0.0)"), r.outText());
            String mess = queued(r);
            assertTrue(mess.contains("Received: from unknown (HELO relay.example) (joe@127.0.0.2)\n"
                    + "  by test.example with ESMTPSA; "), mess);
        }
        assertTrue(listenerProc.err().contains("qmail-smtpd: auth plain ok user joe from 127.0.0.2\n"),
                listenerProc.err());
    }

    @Test
    void authLoginGoodAndBadThenRelayInEveryMode() throws IOException {
        for (int port : ports) {
            try (Smtp s = tls(port)) {
                assertEquals("250 ok", s.cmd("MAIL FROM:<me@example.org>"));
                assertEquals("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
                        s.cmd("RCPT TO:<kim@elsewhere.example>"));
                assertEquals("503 no auth during mail transaction (#5.5.0)", s.cmd("AUTH PLAIN " + b64("\0joe\0s3cret")));
                assertEquals("250 flushed", s.cmd("RSET"));
                assertEquals("334 VXNlcm5hbWU6", s.cmd("AUTH LOGIN"));
                assertEquals("334 UGFzc3dvcmQ6", s.cmd(b64("joe")));
                assertEquals("535 authorization failed (#5.7.0)", s.cmd(b64("wrong")));
                assertEquals("334 VXNlcm5hbWU6", s.cmd("AUTH LOGIN"));
                assertEquals("501 auth exchange cancelled (#5.0.0)", s.cmd("*"));
                assertEquals("501 malformed auth input (#5.5.4)", s.cmd("AUTH PLAIN not*base64"));
                assertEquals("504 auth type unimplemented (#5.5.1)", s.cmd("AUTH CRAM-MD5"));
                assertEquals("334 ", s.cmd("AUTH PLAIN"));
                assertEquals("235 ok, go ahead (#2.0.0)", s.cmd(b64("\0joe\0s3cret")));
                assertEquals("503 you're already authenticated (#5.5.0)", s.cmd("AUTH LOGIN"));
                assertEquals("250 ok", s.cmd("MAIL FROM:<me@example.org>"));
                assertEquals("250 ok", s.cmd("RCPT TO:<kim@elsewhere.example>"));
            }
        }
    }

    @Test
    void authIsNotOfferedInClearTextAndRefusedWith538() throws IOException {
        for (int port : ports) {
            try (Smtp s = Smtp.connect(port, "127.0.0.2")) {
                assertEquals("220 test.example ESMTP", s.reply());
                assertEquals("250-test.example\n250-PIPELINING\n250-STARTTLS\n250 8BITMIME", s.cmd("EHLO dude"));
                assertEquals("538 encryption required for requested authentication mechanism (#5.7.11)",
                        s.cmd("AUTH PLAIN " + b64("\0joe\0s3cret")));
            }
        }
    }

    @Test
    void theThirdFailureEndsTheSession() throws IOException {
        try (Smtp s = tls(ports[0])) {
            assertEquals("535 authorization failed (#5.7.0)", s.cmd("AUTH PLAIN " + b64("\0joe\0x")));
            assertEquals("535 authorization failed (#5.7.0)", s.cmd("AUTH PLAIN " + b64("\0joe\0y")));
            assertEquals("421 too many authentication failures (#4.7.0)", s.cmd("AUTH PLAIN " + b64("\0joe\0z")));
            assertTrue(s.closedByServer());
        }
    }

    @Test
    void submissionWantsAuthBeforeMail() throws IOException {
        try (Smtp s = tls(submission)) {
            assertEquals("530 authentication required (#5.7.0)", s.cmd("MAIL FROM:<me@example.org>"));
            assertEquals("235 ok, go ahead (#2.0.0)", s.cmd("AUTH PLAIN " + b64("\0joe\0s3cret")));
            assertEquals("250 ok", s.cmd("MAIL FROM:<me@example.org>"));
        }
    }
}
