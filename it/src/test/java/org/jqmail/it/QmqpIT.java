package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * qmail-qmqpd under Debian's tcpserver with qmail-queued behind it, and qmail-qmqpc with
 * qmail-queue's interface talking to it (doc/QMTP.md §3, §4): whole answers and queued
 * messages byte for byte, exit codes from tcpserver's log and from qmail-qmqpc itself. The
 * client tests need port 628 (QMQP's, fixed in qmail-qmqpc) on addresses of 127.0.62.0/24,
 * so they run as root.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QmqpIT {
    static final Pattern DATE = Pattern.compile(Qsbmf.DATE);
    static final Pattern OK = Pattern.compile("(\\d+):Kok (\\d+) qp (\\d+),");
    static final String HUB = "127.0.62.1";
    static final String NOBODY = "127.0.62.9";

    ReceiveRig rig;
    TestHome.Proc hub;

    @BeforeAll
    void start() throws Exception {
        rig = ReceiveRig.create();
        rig.smtpd = rig.startTcpserver(null, rig.home.bin("qmail-qmqpd").toString());
        rig.port = ReceiveRig.awaitPort(rig.smtpd);
    }

    @AfterAll
    void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    static String packet(String message, String sender, String... rcpts) {
        StringBuilder b = new StringBuilder(ReceiveRig.netstring(message)).append(ReceiveRig.netstring(sender));
        for (String r : rcpts) {
            b.append(ReceiveRig.netstring(r));
        }
        return ReceiveRig.netstring(b.toString());
    }

    long qp(String answer) {
        Matcher m = OK.matcher(answer);
        assertTrue(m.matches(), answer);
        assertEquals(Integer.parseInt(m.group(1)), answer.length() - m.group(1).length() - 2, answer);
        return Long.parseLong(m.group(3));
    }

    String lastStatus(int sessions) throws Exception {
        TestHome.await("tcpserver's end line", () -> rig.count("tcpserver: end ") >= sessions, Duration.ofSeconds(30));
        String[] e = rig.smtpd.err().split("tcpserver: end ", -1);
        String last = e[e.length - 1];
        return last.substring(last.indexOf("status"), last.indexOf('\n'));
    }

    @Test
    void aMessageIsQueuedAsSentWithEveryRecipientRelayed() throws Exception {
        String message = "Subject: qmqp\r\nX: \u00e9\n\nbody\r\nno newline";
        long qp = qp(rig.exchange("127.0.0.2", packet(message, "me@example.org", "joe@elsewhere.example",
                "sue@test.example")));
        assertEquals("u" + ReceiveRig.smtpdUid() + "\0p" + qp + "\0Fme@example.org\0Tjoe@elsewhere.example\0"
                + "Tsue@test.example\0", rig.envelopeText(qp));
        assertEquals("Received: (qmail " + qp + " invoked from network); DATE\n"
                + "Received: from unknown (127.0.0.2)\n"
                + "  by test.example with QMQP; DATE\n" + message, rig.queuedText(qp));
    }

    @Test
    void badAddressesRefuseTheWholeMessage() throws Exception {
        String no = "51:Dsorry, I can't accept addresses like that (#5.1.3),";
        assertEquals(no, rig.exchange("127.0.0.2", packet("x\n", "a\0b", "joe@test.example")));
        assertEquals(no, rig.exchange("127.0.0.2", packet("x\n", "a@b", "joe@test.example", "x".repeat(1000))));
        qp(rig.exchange("127.0.0.2", packet("x\n", "a".repeat(999), "x".repeat(999))));
    }

    @Test
    void malformedPacketsEndTheSessionWith100() throws Exception {
        String good = packet("x\n", "a@b", "joe@test.example");
        for (String bad : List.of("x", "3:1:x,,", good.replace("2:x\n,", "2:x\n;"),
                good.substring(0, good.length() - 1) + ";", "0".repeat(101) + ":")) {
            int before = rig.tcpserverEnds();
            assertEquals("", rig.exchange("127.0.0.2", bad), bad);
            assertEquals("status 25600", lastStatus(before + 1), bad);
        }
        // The inner netstrings run past the outer length.
        String inner = ReceiveRig.netstring("x\n") + ReceiveRig.netstring("a@b") + ReceiveRig.netstring("joe@test.example");
        int before = rig.tcpserverEnds();
        assertEquals("", rig.exchange("127.0.0.2", (inner.length() - 3) + ":" + inner + ","));
        assertEquals("status 25600", lastStatus(before + 1));
    }

    @Test
    void aClientTheRulesDenyGetsNothing() throws Exception {
        int queued = rig.todo().size();
        String answer;
        try {
            answer = rig.exchange("127.0.0.3", packet("x\n", "a@b", "joe@test.example"));
        } catch (java.net.SocketException e) {
            answer = ""; // tcpserver closed the connection with the packet unread: a reset.
        }
        assertEquals("", answer);
        TestHome.await("tcpserver's deny line", () -> rig.smtpd.err().contains("tcpserver: deny "),
                Duration.ofSeconds(30));
        assertEquals(queued, rig.todo().size());
    }

    // qmail-qmqpc

    /** Runs qmail-qmqpc with {@code message} on fd 0 and {@code envelope} readable on fd 1. */
    TestHome.Result qmqpc(String message, String envelope) throws IOException {
        Path m = Files.createTempFile(rig.home.dir(), "mess", "");
        Path e = Files.createTempFile(rig.home.dir(), "env", "");
        Files.write(m, message.getBytes(ISO_8859_1));
        Files.write(e, envelope.getBytes(ISO_8859_1));
        return TestHome.exec(List.of("sh", "-c", "exec \"$0\" <\"$1\" 1<\"$2\"", rig.home.bin("qmail-qmqpc").toString(),
                m.toString(), e.toString()), null, Duration.ofMinutes(2));
    }

    void startHub() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "port 628 needs root");
        if (hub != null) {
            return;
        }
        hub = rig.home.start("/usr/bin/tcpserver", "-v", "-R", "-H", "-l", "test.example",
                "-u", Integer.toString(TestHome.uid("qmaild")), "-g", Integer.toString(TestHome.gid("qmaild")), HUB, "628",
                rig.home.bin("qmail-qmqpd").toString());
        TestHome.await("tcpserver on " + HUB + ":628", () -> {
            if (!hub.alive()) {
                throw new AssertionError("tcpserver died: " + hub.err());
            }
            try (Socket s = new Socket(HUB, 628)) {
                return true;
            } catch (IOException x) {
                return false;
            }
        }, Duration.ofSeconds(30));
    }

    @Test
    void qmqpcHandsTheMessageToTheFirstServerThatAnswers() throws Exception {
        startHub();
        rig.home.control("qmqpservers", "not an address\n" + NOBODY + "\n" + HUB + "\n");
        String message = "Subject: via qmqpc\n\nbody\n";
        TestHome.Result r = qmqpc(message, "Fme@example.org\0Tjoe@elsewhere.example\0Tsue@test.example\0\0ignored");
        assertEquals(0, r.exit(), r.errText());
        assertEquals("", r.outText() + r.errText());
        List<String> found = new ArrayList<>();
        for (Path t : rig.todo()) {
            ReceiveRig.Queued q = rig.read(t);
            if (q.todoText().endsWith("\0Fme@example.org\0Tjoe@elsewhere.example\0Tsue@test.example\0")
                    && q.messText().contains("with QMQP; ")) {
                found.add(DATE.matcher(q.messText()).replaceAll("DATE").replaceFirst("qmail \\d+ ", "qmail QP ")
                        .replaceFirst("\\(127\\.[0-9.]+\\)", "(IP)"));
            }
        }
        assertEquals(List.of("Received: (qmail QP invoked from network); DATE\n"
                + "Received: from unknown (IP)\n  by test.example with QMQP; DATE\n" + message), found);
    }

    @Test
    void qmqpcExitsWithQmailQueuesCodes() throws Exception {
        startHub();
        rig.home.control("qmqpservers", NOBODY + "\n");
        assertEquals(73, qmqpc("x\n", "Fa@b\0Tc@d\0\0").exit());
        Files.delete(rig.home.control().resolve("qmqpservers"));
        assertEquals(55, qmqpc("x\n", "Fa@b\0Tc@d\0\0").exit());
        rig.home.control("qmqpservers", HUB + "\n");
        for (String env : List.of("", "Fa@b", "Fa@b\0", "Ta@b\0\0", "\0", "Fa@b\0Xc@d\0\0", "Fa@b\0Tc@d\0")) {
            assertEquals(91, qmqpc("x\n", env).exit(), env);
        }
        assertEquals(31, qmqpc("x\n", "Fa@b\0T" + "x".repeat(1000) + "\0\0").exit());
        for (String[] verdict : List.of(new String[] {"4:Zno,", "71"}, new String[] {"4:Dno,", "31"},
                new String[] {"2:no", "74"})) {
            rig.home.control("qmqpservers", "127.0.62.2\n" + HUB + "\n");
            try (ServerSocket fake = new ServerSocket(628, 5, InetAddress.getByName("127.0.62.2"))) {
                Thread t = new Thread(() -> {
                    try (Socket c = fake.accept()) {
                        InputStream in = c.getInputStream();
                        in.read(new byte[4096]);
                        OutputStream out = c.getOutputStream();
                        out.write(verdict[0].getBytes(ISO_8859_1));
                    } catch (IOException x) {
                        // The assertion below says what went wrong.
                    }
                });
                t.start();
                assertEquals(Integer.parseInt(verdict[1]), qmqpc("x\n", "Fa@b\0Tc@d\0\0").exit(), verdict[0]);
                t.join(60_000);
            }
        }
    }
}
