package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The SMTP listener's persistent connections to qmail-queued ({@code QQ2}, a pool of idle
 * connections): many messages from concurrent SMTP sessions, several per session, land in the
 * queue byte for byte; after qmail-queued is restarted (every pooled connection now dead) the
 * next messages are still accepted and queued, and, over the whole mail system, delivered.
 */
class ListenerQueueIT {
    private static final Pattern DATE = Pattern.compile(Qsbmf.DATE);
    private static final Pattern ACCEPT = Pattern.compile("250 ok (\\d+) qp (\\d+)");

    /** The DATA of message {@code n}: distinct, some lines long, one message over 100 KB. */
    private static String body(int n) {
        StringBuilder sb = new StringBuilder("Subject: pooled " + n + "\r\n\r\n");
        int lines = n % 7 == 3 ? 2000 : 1 + n % 5;
        for (int i = 0; i < lines; i++) {
            sb.append("line ").append(i).append(" of ").append(n).append(' ').append("x".repeat((n * 31 + i) % 70))
                    .append("\r\n");
        }
        return sb.toString();
    }

    /** What qmail-smtpd writes for {@link #body} (CRLF to LF), after its Received line. */
    private static String queuedBody(int n) {
        return body(n).replace("\r\n", "\n");
    }

    private static long qp(String reply) {
        Matcher m = ACCEPT.matcher(reply);
        assertTrue(m.matches(), reply);
        return Long.parseLong(m.group(2));
    }

    /** One transaction in an open session; returns the qp of the accepted message. */
    private static long send(Smtp s, int n) throws IOException {
        assertEquals("250 ok", s.cmd("MAIL FROM:<from" + n + "@example.org>"));
        assertEquals("250 ok", s.cmd("RCPT TO:<to" + n + "@test.example>"));
        assertEquals("354 go ahead", s.cmd("DATA"));
        s.send(body(n) + ".\r\n");
        return qp(s.reply());
    }

    private static final Pattern NUMBERS = Pattern.compile("u\\d+\0p(\\d+)\0Ffrom(\\d+)@");

    /**
     * Checks every queued message byte for byte against the message its sender address names
     * and the qp its SMTP reply gave; each message sent is queued exactly once. (qps are not
     * unique across a restart of qmail-queued: its counter starts at its pid.)
     */
    private static void assertAllQueued(ReceiveRig rig, Map<Integer, Long> sent) throws IOException {
        Map<Integer, Long> queued = new java.util.HashMap<>();
        for (Path t : rig.todo()) {
            ReceiveRig.Queued q = rig.read(t);
            Matcher m = NUMBERS.matcher(q.todoText());
            assertTrue(m.lookingAt(), q.todoText());
            int n = Integer.parseInt(m.group(2));
            long qp = Long.parseLong(m.group(1));
            assertEquals(null, queued.put(n, qp), "message " + n + " queued twice");
            assertQueued(rig, q, qp, n);
        }
        assertEquals(sent, queued);
    }

    private static void assertQueued(ReceiveRig rig, ReceiveRig.Queued q, long qp, int n) throws IOException {
        assertEquals("u" + ReceiveRig.smtpdUid() + "\0p" + qp + "\0Ffrom" + n + "@example.org\0Tto" + n
                + "@test.example\0", q.todoText());
        assertEquals("Received: (qmail " + qp + " invoked from network); DATE\n"
                + "Received: from unknown (HELO relay.example) (127.0.0.1)\n"
                + "  by test.example with SMTP; DATE\n" + queuedBody(n),
                DATE.matcher(q.messText()).replaceAll("DATE"), "message " + n);
        Path intd = rig.home.queue().resolve("intd").resolve(Long.toString(q.id()));
        assertEquals(q.todoText(), Files.readString(intd, ISO_8859_1));
    }

    /**
     * {@code sessions} concurrent SMTP sessions, each sending {@code perSession} messages
     * numbered from {@code first}; returns the qp of each message number.
     */
    private static Map<Integer, Long> burst(ReceiveRig rig, int first, int sessions, int perSession)
            throws Exception {
        Map<Integer, Long> sent = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < sessions; t++) {
            int base = first + t * perSession;
            Thread th = new Thread(() -> {
                try (Smtp s = rig.connect()) {
                    assertEquals("220 test.example ESMTP", s.reply());
                    assertEquals("250 test.example", s.cmd("HELO relay.example"));
                    for (int i = 0; i < perSession; i++) {
                        sent.put(base + i, send(s, base + i));
                    }
                    assertEquals("221 test.example", s.cmd("QUIT"));
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            th.join();
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("a session failed", errors.get(0));
        }
        assertEquals(sessions * perSession, sent.size());
        return sent;
    }

    @Test
    void manyMessagesLandByteForByteAndARestartedQueueCostsNone() throws Exception {
        try (ReceiveRig rig = ReceiveRig.create(ReceiveRig.Mode.LISTENER)) {
            Map<Integer, Long> sent = new java.util.HashMap<>(burst(rig, 0, 6, 10));
            // qmail-queued goes away and comes back: the pooled connections are all dead.
            rig.killQueued();
            rig.startQueued();
            try (Smtp s = rig.connect()) {
                assertEquals("220 test.example ESMTP", s.reply());
                assertEquals("250 test.example", s.cmd("HELO relay.example"));
                sent.put(1000, send(s, 1000));
                sent.put(1001, send(s, 1001));
            }
            // Again, with new connections in the pool and several sessions at once.
            rig.killQueued();
            rig.startQueued();
            sent.putAll(burst(rig, 2000, 6, 3));
            assertEquals(6 * 10 + 2 + 6 * 3, sent.size());
            assertAllQueued(rig, sent);
        }
    }

    /** The whole mail system: a message sent after qmail-queued's restart is delivered. */
    @Test
    void aMessageAfterQmailQueuedRestartedIsDelivered() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: qmail-start and privilege separation");
        try (TestHome home = TestHome.create()) {
            Assumptions.assumeTrue(home.has("qmail-start") && home.has("qmail-smtpd-listener"),
                    "the delivery programs are not all built");
            Path alias = home.alias();
            MailSystem.maildir("alias", alias.resolve("Maildir"));
            MailSystem.dotQmail("alias", alias, ".qmail-postmaster", "./Maildir/\n");
            home.usersAssign("+:alias:" + TestHome.uid("alias") + ":" + TestHome.gid("alias") + ":" + alias
                    + ":-::\n.\n");
            try (MailSystem sys = new MailSystem(home)) {
                sys.start();
                String rcpt = "postmaster@" + TestHome.FQDN;
                sys.smtp("a@example.org", List.of(rcpt), "Subject: before\n\nbefore the restart\n");
                sys.queued.process().destroyForcibly();
                sys.queued.process().waitFor();
                sys.queued = home.start(sys.cleanEnv(), "qmail-queued");
                Path socket = home.sock().resolve("qmail-queue");
                TestHome.Proc q = sys.queued;
                TestHome.await("qmail-queued's socket", () -> {
                    if (!q.alive()) {
                        throw new AssertionError("qmail-queued died: " + q.err());
                    }
                    try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                        c.connect(UnixDomainSocketAddress.of(socket));
                    }
                    return true;
                }, Duration.ofSeconds(30));
                sys.smtp("b@example.org", List.of(rcpt), "Subject: after\n\nafter the restart\n");
                List<String> mail = MailSystem.awaitMail(alias.resolve("Maildir"), 2);
                assertEquals(2, mail.size());
                List<String> bodies = new ArrayList<>();
                for (String m : mail) {
                    bodies.add(m.substring(m.indexOf("\nSubject: ") + 1));
                }
                bodies.sort(null);
                assertEquals(List.of("Subject: after\n\nafter the restart\n", "Subject: before\n\nbefore the restart\n"),
                        bodies);
            }
        }
    }
}
