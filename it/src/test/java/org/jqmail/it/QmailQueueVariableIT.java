package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code QMAILQUEUE} (qmail-queue(8); how qmail-scanner and spam filters hook in) honoured by
 * every program that queues, through its launcher on the Java runtime the launcher picks (the
 * newest one here), silently: qmail-inject, sendmail, qmail-smtpd under tcpserver
 * ({@code bin/qmail-smtpd-jvm}) and in the listener, and qmail-send's bounces (issue 14, item
 * 8). The queue program is a shell script that keeps the message and the envelope.
 */
@Tag("root")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QmailQueueVariableIT {
    private TestHome home;
    private Path kept;
    private Path qq;

    @BeforeAll
    void install() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "real users need root");
        home = TestHome.create();
        kept = home.dir().resolve("kept");
        Files.createDirectories(kept);
        Files.setPosixFilePermissions(kept, PosixFilePermissions.fromString("rwxrwxrwx"));
        qq = home.dir().resolve("qq");
        Files.writeString(qq, "#!/bin/sh\ncat > " + kept + "/msg.$$ && cat <&1 > " + kept + "/env.$$\n");
        Files.setPosixFilePermissions(qq, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    void cleanup() throws Exception {
        if (home != null) {
            home.close();
        }
    }

    /** Waits for the message whose envelope contains {@code part}; returns message and envelope. */
    private String[] awaitKept(String part) throws Exception {
        String[] hit = new String[2];
        TestHome.await("a message kept by $QMAILQUEUE with " + part, () -> {
            try (Stream<Path> s = Files.list(kept)) {
                for (Path env : s.filter(p -> p.getFileName().toString().startsWith("env.")).toList()) {
                    String e = Files.readString(env, ISO_8859_1);
                    if (e.contains(part)) {
                        hit[0] = Files.readString(kept.resolve("msg." + env.getFileName().toString().substring(4)), ISO_8859_1);
                        hit[1] = e;
                        return true;
                    }
                }
            }
            return false;
        }, Duration.ofSeconds(60));
        return hit;
    }

    private TestHome.Result inject(String program, String to, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("env", "-i", "PATH=/usr/bin:/bin", "USER=root", "QMAILQUEUE=" + qq,
                home.bin(program).toString()));
        argv.addAll(List.of(args));
        return TestHome.exec(argv, ("To: " + to + "\nSubject: via " + program + "\n\nbody\n").getBytes(ISO_8859_1),
                Duration.ofMinutes(1));
    }

    @Test
    void qmailInjectAndSendmailQueueThroughItSilently() throws Exception {
        for (String p : List.of("qmail-inject", "sendmail")) {
            String to = "to-" + p + "@example.org";
            TestHome.Result r = p.equals("sendmail") ? inject(p, to, "-t") : inject(p, to);
            assertEquals("", r.errText(), p);
            assertEquals("", r.outText(), p);
            assertEquals(0, r.exit(), p);
            String[] m = awaitKept("T" + to + "\0");
            assertTrue(m[0].contains("\nSubject: via " + p + "\n"), m[0]);
            assertTrue(m[1].startsWith("Froot@" + TestHome.FQDN + "\0"), m[1]);
        }
    }

    @Test
    void qmailSmtpdUnderTcpserverQueuesThroughIt() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("QMAILQUEUE", qq.toString());
        List<String> argv = new ArrayList<>(List.of("/usr/bin/tcpserver", "-1", "-R", "-H", "-l", TestHome.FQDN,
                "-u", Integer.toString(TestHome.uid("qmaild")), "-g", Integer.toString(TestHome.gid("qmaild")),
                "127.0.0.1", "0", home.bin("qmail-smtpd-jvm").toString()));
        TestHome.Proc tcpserver = home.start(env, argv.toArray(new String[0]));
        try {
            int port = ReceiveRig.awaitPort(tcpserver);
            session(port, "tcpserver");
        } finally {
            home.stop(tcpserver);
        }
    }

    @Test
    void theListenerAndQmailSendsBouncesQueueThroughIt() throws Exception {
        home.usersAssign("+:alias:" + TestHome.uid("alias") + ":" + TestHome.gid("alias") + ":" + home.alias()
                + ":-::\n.\n");
        try (MailSystem sys = new MailSystem(home).env("QMAILQUEUE", qq.toString())) {
            sys.start();
            session(sys.port, "listener");
            // A message for a local address that does not exist, queued without QMAILQUEUE:
            // qmail-send's bounce of it goes through $QMAILQUEUE.
            Path msg = home.dir().resolve("lost.msg");
            Path envelope = home.dir().resolve("lost.env");
            Files.writeString(msg, "Subject: lost\n\nx\n", ISO_8859_1);
            Files.writeString(envelope, "Fsender@example.org\0Tnobody-here@" + TestHome.FQDN + "\0\0", ISO_8859_1);
            TestHome.Result r = TestHome.exec(List.of("sh", "-c", "exec env -i PATH=/usr/bin:/bin " + home.bin("qmail-queue")
                    + " < " + msg + " 1< " + envelope), null, Duration.ofMinutes(1));
            assertEquals(0, r.exit(), r.errText());
            String[] m = awaitKept("Tsender@example.org\0");
            assertTrue(m[1].startsWith("F\0"), m[1]);
            assertTrue(m[0].contains("Sorry, no mailbox here by that name. (#5.1.1)"), m[0]);
        }
    }

    private void session(int port, String label) throws Exception {
        try (Smtp s = Smtp.connect(port, "127.0.0.1")) {
            assertTrue(s.reply().startsWith("220 "), label);
            assertTrue(s.cmd("HELO it").startsWith("250 "), label);
            assertTrue(s.cmd("MAIL FROM:<a@example.org>").startsWith("250 "), label);
            assertTrue(s.cmd("RCPT TO:<" + label + "@" + TestHome.FQDN + ">").startsWith("250 "), label);
            assertTrue(s.cmd("DATA").startsWith("354 "), label);
            s.send("Subject: " + label + "\r\n\r\nbody\r\n.\r\n");
            assertEquals("250 ok", s.reply().substring(0, 6), label);
        }
        String[] m = awaitKept("T" + label + "@" + TestHome.FQDN + "\0");
        assertTrue(m[1].startsWith("Fa@example.org\0"), m[1]);
        assertTrue(m[0].contains("\nSubject: " + label + "\n"), m[0]);
    }
}
