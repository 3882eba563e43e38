package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * qmail-remote's QMTP client (doc/QMTP.md §7): SMTP in, qmail-send, qmail-rspawn, qmail-remote
 * by QMTP to our qmail-qmtpd under tcpserver on a loopback port named in
 * {@code control/qmtproutes}, and on into that second installation's queue, byte for byte; a
 * tiny fake QMTP server for the {@code D} and {@code Z} answers; and {@code bin/qmail-remote}
 * run by hand with the message on fd 0 as a file and as a pipe.
 */
@Tag("root")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QmtpRemoteIT {
    static final String JOE = "qmtrjoe";
    static final String D = TestHome.FQDN;

    ReceiveRig hub;
    TestHome home;
    MailSystem sys;
    FakeQmtp deny;
    FakeQmtp later;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: real users and privilege separation");
        hub = ReceiveRig.create();
        hub.smtpd = hub.startTcpserver(null, hub.home.bin("qmail-qmtpd").toString());
        hub.port = ReceiveRig.awaitPort(hub.smtpd);
        deny = new FakeQmtp("Dno such mailbox here (#5.1.1)");
        later = new FakeQmtp("Zmailbox full, try later (#4.2.2)");
        home = TestHome.create();
        Path joe = TestHome.ensureUser(JOE);
        MailSystem.emptyHome(joe);
        MailSystem.maildir(JOE, joe.resolve("Maildir"));
        home.usersAssign("=" + JOE + ":" + JOE + ":" + TestHome.uid(JOE) + ":" + TestHome.gid(JOE) + ":" + joe
                + ":::\n.\n");
        home.control("qmtproutes", "hub.example:127.0.0.1:" + hub.port + "\n.deny.example:127.0.0.1:" + deny.port()
                + "\nlater.example:127.0.0.1:" + later.port() + "\n");
        // Never used: qmtproutes wins over smtproutes for the same domain.
        home.control("smtproutes", "hub.example:127.0.0.1:1\n");
        sys = new MailSystem(home);
        sys.start();
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {sys, home, deny, later, hub}) {
            if (c != null) {
                c.close();
            }
        }
    }

    /** Sends one message by SMTP; returns its qp. */
    String send(String rcpt, String data) throws IOException {
        String reply = sys.smtp(JOE + "@" + D, List.of(rcpt), data);
        return reply.substring(reply.lastIndexOf(' ') + 1);
    }

    /** qmail-send's {@code delivery N: ...} line for the message of {@code qp}. */
    String deliveryLine(String qp, String kind) throws InterruptedException {
        String[] line = new String[1];
        TestHome.await("the " + kind + " of qp " + qp, () -> {
            List<String> log = sys.log();
            String id = null;
            String n = null;
            for (String l : log) {
                if (id == null && l.startsWith("info msg ") && l.contains(" qp " + qp + " ")) {
                    id = l.substring("info msg ".length(), l.indexOf(':'));
                } else if (id != null && n == null && l.matches("starting delivery \\d+: msg " + id + " to remote .*")) {
                    n = l.substring("starting delivery ".length(), l.indexOf(':'));
                } else if (n != null && l.startsWith("delivery " + n + ": " + kind + ": ")) {
                    line[0] = l;
                    return true;
                }
            }
            return false;
        }, Duration.ofSeconds(90));
        return line[0].substring(line[0].indexOf(": ") + 2);
    }

    @Test
    void aMessageGoesByQmtpToQmailQmtpdAndIsQueuedThereByteForByte() throws Exception {
        int before = hub.todo().size();
        String qp = send("far@hub.example", "Subject: qmtp out\n\n.dot line\nbody\n");
        String line = deliveryLine(qp, "success");
        assertTrue(Pattern.matches("success: 127\\.0\\.0\\.1_accepted_message_by_QMTP\\./"
                + "Remote_host_said:_ok_\\d+_qp_\\d+/", line), line);
        String hubQp = line.replaceAll(".*_qp_(\\d+)/", "$1");
        ReceiveRig.Queued q = hub.byQp(Long.parseLong(hubQp)).orElseThrow();
        assertEquals(before + 1, hub.todo().size());
        String todo = new String(q.todo(), ISO_8859_1);
        assertTrue(todo.endsWith("\0F" + JOE + "@" + D + "\0Tfar@hub.example\0"), todo);
        String mess = new String(q.mess(), ISO_8859_1).replaceAll(Qsbmf.DATE, "DATE");
        assertTrue(Pattern.matches("Received: \\(qmail " + hubQp + " invoked from network\\); DATE\n"
                + "Received: from unknown \\(127\\.0\\.0\\.1\\)\n  by test\\.example with QMTP; DATE\n"
                + "Received: \\(qmail \\d+ invoked from network\\); DATE\n"
                + "Received: from [^\n]*\n  by [^\n]* with SMTP; DATE\n"
                + "Subject: qmtp out\n\n\\.dot line\nbody\n", mess), mess);
    }

    @Test
    void aPermanentAnswerBouncesWithTheServersText() throws Exception {
        String qp = send("x@a.deny.example", "Subject: deny\n\nbody\n");
        assertEquals("failure: 127.0.0.1_does_not_like_recipient./Remote_host_said:_no_such_mailbox_here_(#5.1.1)/"
                + "Giving_up_on_127.0.0.1./", deliveryLine(qp, "failure"));
        String wire = deny.received(deny.sessions() - 1);
        assertTrue(wire.endsWith(ns(JOE + "@" + D) + ns(ns("x@a.deny.example"))), wire);
    }

    @Test
    void aTemporaryAnswerDefers() throws Exception {
        String qp = send("y@later.example", "Subject: later\n\nbody\n");
        assertEquals("deferral: 127.0.0.1_does_not_like_recipient./Remote_host_said:_mailbox_full,_try_later_(#4.2.2)/"
                + "Giving_up_on_127.0.0.1./",
                deliveryLine(qp, "deferral"));
    }

    @Test
    void binQmailRemoteTakesTheMessageFromAFileOrAPipe() throws Exception {
        Path msg = home.dir().resolve("qmtp-message");
        Files.write(msg, "Subject: by hand\n\nno final newline".getBytes(ISO_8859_1));
        String remote = home.bin("qmail-remote").toString();
        for (String how : new String[] {remote + " ARGS < " + msg, "cat " + msg + " | " + remote + " ARGS"}) {
            int n = deny.sessions();
            TestHome.Result r = TestHome.exec(List.of("sh", "-c", how.replace("ARGS",
                    "z.deny.example a@b.example z@z.deny.example")), null, Duration.ofSeconds(60));
            assertEquals("h127.0.0.1 does not like recipient.\nRemote host said: no such mailbox here (#5.1.1)\n\0"
                    + "DGiving up on 127.0.0.1.\n\0", r.outText(), how);
            assertEquals(n + 1, deny.sessions());
            assertEquals(ns("\nSubject: by hand\n\nno final newline") + ns("a@b.example") + ns(ns("z@z.deny.example")),
                    deny.received(n), how);
        }
    }

    static String ns(String s) {
        return s.length() + ":" + s + ",";
    }

    /** A QMTP server on 127.0.0.1 that reads one message per connection and refuses it. */
    static final class FakeQmtp implements AutoCloseable {
        private final ServerSocket server;
        private final String answer;
        private final List<String> received = Collections.synchronizedList(new ArrayList<>());

        FakeQmtp(String answer) throws IOException {
            this.answer = answer;
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
            Thread t = new Thread(this::loop, "fake-qmtp");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int sessions() {
            return received.size();
        }

        String received(int i) {
            return received.get(i);
        }

        private void loop() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(60_000);
                    InputStream in = s.getInputStream();
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    int rcpts = 0;
                    for (int i = 0; i < 3; i++) {
                        long len = 0;
                        for (int c; (c = in.read()) != ':';) {
                            got.write(c);
                            len = len * 10 + (c - '0');
                        }
                        got.write(':');
                        byte[] b = in.readNBytes((int) len + 1);
                        got.write(b);
                        if (i == 2) {
                            rcpts = new String(b, ISO_8859_1).split(":", -1).length - 1;
                        }
                    }
                    received.add(got.toString(ISO_8859_1));
                    StringBuilder out = new StringBuilder();
                    for (int i = 0; i < rcpts; i++) {
                        out.append(answer.length()).append(':').append(answer).append(',');
                    }
                    s.getOutputStream().write(out.toString().getBytes(ISO_8859_1));
                } catch (IOException e) {
                    // closed, or a broken client: next connection.
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
