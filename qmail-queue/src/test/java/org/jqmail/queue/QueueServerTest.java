package org.jqmail.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jqmail.control.QueueExit;
import org.jqmail.control.QueueProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qmail-queued's connection handling over a real Unix-domain socket: one submission per
 * {@code QQ1} connection, several per {@code QQ2} connection, and the cases that close a
 * connection. Every queued message is checked byte for byte in {@code mess/} and
 * {@code todo/}, every answer as its six bytes.
 */
class QueueServerTest {
    private static final int SPLIT = 23;
    /** 6 Sep 1995 04:46:54 UTC. */
    private static final long T = 810362814L;
    private static final String DATE = "6 Sep 1995 04:46:54 -0000";

    @TempDir
    Path dir;
    private final AtomicInteger pulls = new AtomicInteger();
    private final List<SocketChannel> clients = new ArrayList<>();
    private ServerSocketChannel server;
    private Path socket;
    private Path queue;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** qmail-queued's accounts in these tests: alias, qmaild, qmails (and root, 0). */
    private static final long ALIAS = 7;
    private static final long QMAILD = 8;
    private static final long QMAILS = 9;
    private static final long SECOND = 1_000_000_000L;

    /** Starts a server with every limit {@code limit}, deadline and idle time as given. */
    private void start(int limit, long deadlineSeconds, long idleNanos) throws IOException {
        start(limit, limit, limit, new Submission.Deadlines(30 * SECOND, 0, deadlineSeconds * SECOND, idleNanos,
                10 * SECOND));
    }

    /**
     * Starts a server. The peer's credentials are the kernel's in production; here they are
     * read from the name each test client binds its socket to ({@link #connect(long, long)}).
     */
    private void start(int users, int perUser, int perTrusted, Submission.Deadlines d) throws IOException {
        queue = dir.resolve("queue");
        for (String q : List.of("pid", "intd", "todo", "mess")) {
            Files.createDirectories(queue.resolve(q));
        }
        for (int i = 0; i < SPLIT; i++) {
            Files.createDirectory(queue.resolve("mess/" + i));
        }
        Files.createDirectories(dir.resolve("cl"));
        socket = dir.resolve("sock/qmail-queue");
        server = QueueServer.bind(socket);
        PeerCred peer = ch -> {
            String[] f = ch.getRemoteAddress().toString().replaceAll(".*/", "").split("\\.");
            return new PeerCred.Cred(Long.parseLong(f[0]), Long.parseLong(f[1]));
        };
        QueueServer qs = new QueueServer(new Enqueue(queue, SPLIT, pulls::incrementAndGet),
                new Invokers(ALIAS, QMAILD, QMAILS), peer,
                new Admission(new long[] {0, ALIAS, QMAILD, QMAILS}, perTrusted, perUser, users), d, 5000, () -> T);
        Thread t = new Thread(() -> {
            try {
                qs.serve(server);
            } catch (IOException e) {
                // Closed at the end of the test.
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (SocketChannel c : clients) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private int clientNames;

    /** A connection from uid 1000's process 4242. */
    private SocketChannel connect() throws IOException {
        return connect(1000, 4242);
    }

    /** A connection whose peer the test server takes for process {@code pid} of {@code uid}. */
    private SocketChannel connect(long uid, long pid) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        clients.add(c);
        c.bind(UnixDomainSocketAddress.of(dir.resolve("cl/" + uid + "." + pid + "." + ++clientNames)));
        c.connect(UnixDomainSocketAddress.of(socket));
        return c;
    }

    /** The bytes of one submission: magic, qp, the message in chunks of at most 3 bytes, the envelope. */
    private static byte[] submission(String magic, long qp, String message, String envelope) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(b(magic));
        byte[] h = new byte[4];
        QueueProtocol.be32(h, 0, (int) qp);
        o.writeBytes(h);
        byte[] m = b(message);
        for (int off = 0; off < m.length; off += 3) {
            int n = Math.min(3, m.length - off);
            QueueProtocol.be32(h, 0, n);
            o.writeBytes(h);
            o.write(m, off, n);
        }
        QueueProtocol.be32(h, 0, 0);
        o.writeBytes(h);
        o.writeBytes(b(envelope));
        return o.toByteArray();
    }

    private static void write(SocketChannel c, byte[] b) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) {
            c.write(bb);
        }
    }

    /** Reads up to {@code n} bytes: fewer only at end of input. */
    private static byte[] read(SocketChannel c, int n) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(n);
        while (bb.hasRemaining() && c.read(bb) >= 0) {
            // Until n bytes or end of input.
        }
        return Arrays.copyOf(bb.array(), bb.position());
    }

    private static byte[] answer(int code, long qp) {
        byte[] r = new byte[6];
        r[0] = (byte) code;
        QueueProtocol.be32(r, 1, (int) qp);
        return r;
    }

    /**
     * Sends one submission asking for qp {@code asked} on {@code c} and asserts that it is
     * answered 0 with the qp {@code recorded}.
     */
    private static void submitOk(SocketChannel c, String magic, long asked, long recorded, String message,
                                 String envelope) throws IOException {
        write(c, submission(magic, asked, message, envelope));
        assertArrayEquals(answer(0, recorded), read(c, 6));
    }

    /** As above for uid 1000's process 4242, whatever it asks for. */
    private static void submitOk(SocketChannel c, String magic, long asked, String message, String envelope)
            throws IOException {
        submitOk(c, magic, asked, 4242, message, envelope);
    }

    /** True when the server closed the connection: a read finds end of input. */
    private static boolean atEof(SocketChannel c) throws IOException {
        return c.read(ByteBuffer.allocate(1)) < 0;
    }

    private List<Path> files(String d) throws IOException {
        try (Stream<Path> s = Files.walk(queue.resolve(d))) {
            return s.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    /** Asserts that a message of uid 1000 recorded with {@code qp} is queued exactly. */
    private void assertQueued(long qp, String message, String envelope) throws IOException {
        assertQueued(1000, "by uid 1000", qp, message, envelope);
    }

    /**
     * Asserts that {@code message} is queued exactly as submitted by {@code uid} with {@code
     * qp}: its todo and intd files, and its mess file with qmail-queue's Received line naming
     * {@code who}.
     */
    private void assertQueued(long uid, String who, long qp, String message, String envelope) throws IOException {
        byte[] info = b("u" + uid + "\0p" + qp + "\0" + envelope.substring(0, envelope.length() - 1));
        byte[] mess = b("Received: (qmail " + qp + " invoked " + who + "); " + DATE + "\n" + message);
        for (Path t : files("todo")) {
            long n = Long.parseLong(t.getFileName().toString());
            if (Arrays.equals(info, Files.readAllBytes(t))
                    && Arrays.equals(mess, Files.readAllBytes(queue.resolve("mess/" + (n % SPLIT) + "/" + n)))) {
                assertArrayEquals(info, Files.readAllBytes(queue.resolve("intd/" + n)));
                return;
            }
        }
        throw new AssertionError("not queued: " + new String(info, StandardCharsets.ISO_8859_1) + " "
                + new String(mess, StandardCharsets.ISO_8859_1));
    }

    @Test
    void oneQq2ConnectionCarriesSeveralSubmissions() throws IOException {
        start(10, 86400, 60_000_000_000L);
        // The SMTP listener: qmaild, asking the server to number its submissions.
        SocketChannel c = connect(QMAILD, 777);
        submitOk(c, "QQ2", 0, 5000, "Subject: one\n\nfirst\n", "Fa@b\0Tc@d\0\0");
        submitOk(c, "QQ2", 0, 5001, "Subject: two\n\nsecond\n", "F\0Tx@y\0Tz@w\0\0");
        // Any other qp asks for the sender's own pid.
        submitOk(c, "QQ2", 42, 777, "third", "Fe@f\0\0");
        c.shutdownOutput();
        assertTrue(atEof(c), "end of input between submissions ends the connection");
        assertEquals(3, files("todo").size());
        assertQueued(QMAILD, "from network", 5000, "Subject: one\n\nfirst\n", "Fa@b\0Tc@d\0\0");
        assertQueued(QMAILD, "from network", 5001, "Subject: two\n\nsecond\n", "F\0Tx@y\0Tz@w\0\0");
        assertQueued(QMAILD, "from network", 777, "third", "Fe@f\0\0");
        assertTrue(files("pid").isEmpty());
        assertEquals(3, pulls.get());
    }

    @Test
    void theQpOfAnOrdinaryUserIsAlwaysItsPid() throws IOException {
        start(10, 86400, 60_000_000_000L);
        // Whatever the client claims, or if it asks to be numbered: the kernel's pid.
        submitOk(connect(1000, 31337), "QQ1", 1, 31337, "claims 1\n", "Fa\0Tb\0\0");
        submitOk(connect(1000, 31338), "QQ1", 0, 31338, "asks for a number\n", "Fa\0Tb\0\0");
        assertQueued(1000, "by uid 1000", 31337, "claims 1\n", "Fa\0Tb\0\0");
        assertQueued(1000, "by uid 1000", 31338, "asks for a number\n", "Fa\0Tb\0\0");
    }

    @Test
    void theSystemAccountsMayAskForNumbersAndGetTheirWhoWords() throws IOException {
        start(10, 86400, 60_000_000_000L);
        submitOk(connect(QMAILS, 300), "QQ1", 0, 5000, "bounce\n", "F\0Tb\0\0");
        submitOk(connect(ALIAS, 301), "QQ1", 301, 301, "forward\n", "Fa\0Tb\0\0");
        submitOk(connect(0, 302), "QQ1", 0, 5001, "root\n", "Fa\0Tb\0\0");
        // A peer whose pid the kernel cannot tell (another pid namespace) is numbered too.
        submitOk(connect(1000, 0), "QQ1", 99, 5002, "no pid\n", "Fa\0Tb\0\0");
        assertQueued(QMAILS, "for bounce", 5000, "bounce\n", "F\0Tb\0\0");
        assertQueued(ALIAS, "by alias", 301, "forward\n", "Fa\0Tb\0\0");
        assertQueued(0, "by uid 0", 5001, "root\n", "Fa\0Tb\0\0");
        assertQueued(1000, "by uid 1000", 5002, "no pid\n", "Fa\0Tb\0\0");
    }

    @Test
    void submissionsSentBeforeTheirAnswersAreEachQueued() throws IOException {
        start(10, 86400, 60_000_000_000L);
        SocketChannel c = connect();
        // Both in one write: the second one's bytes arrive with the first one's envelope.
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(submission("QQ2", 51, "m1\n", "Fa\0Tb\0\0"));
        o.writeBytes(submission("QQ1", 52, "m2\n", "Fc\0Td\0\0"));
        write(c, o.toByteArray());
        assertArrayEquals(b(new String(answer(0, 4242), StandardCharsets.ISO_8859_1)
                + new String(answer(0, 4242), StandardCharsets.ISO_8859_1)), read(c, 12));
        assertTrue(atEof(c), "a QQ1 submission is the connection's last");
        assertQueued(4242, "m1\n", "Fa\0Tb\0\0");
        assertQueued(4242, "m2\n", "Fc\0Td\0\0");
    }

    @Test
    void qq1ConnectionIsClosedAfterItsAnswer() throws IOException {
        start(10, 86400, 60_000_000_000L);
        SocketChannel c = connect();
        submitOk(c, "QQ1", 61, "only\n", "Fa\0Tb\0\0");
        assertTrue(atEof(c));
        assertQueued(4242, "only\n", "Fa\0Tb\0\0");
    }

    @Test
    void anEarlyErrorAnswersAndCloses() throws IOException {
        start(10, 86400, 60_000_000_000L);
        SocketChannel c = connect();
        submitOk(c, "QQ2", 71, "good\n", "Fa\0Tb\0\0");
        // A chunk longer than the protocol allows: 54 at once, then close.
        byte[] bad = new byte[15];
        System.arraycopy(b("QQ2"), 0, bad, 0, 3);
        QueueProtocol.be32(bad, 3, 72);
        QueueProtocol.be32(bad, 7, QueueProtocol.CHUNK_MAX + 1);
        write(c, bad);
        assertArrayEquals(answer(QueueExit.READ.code(), 0), read(c, 6));
        assertTrue(atEof(c));
        assertEquals(1, files("todo").size());
        assertEquals(1, files("mess").size(), "the failed submission's files are cleaned up");
        assertEquals(1, files("intd").size());
        assertQueued(4242, "good\n", "Fa\0Tb\0\0");
    }

    @Test
    void aFailedSubmissionClosesEvenAfterItWasReadWhole() throws IOException {
        start(10, 86400, 60_000_000_000L);
        SocketChannel c = connect();
        write(c, submission("QQ2", 81, "x\n", "Fa\0Xb\0\0"));
        assertArrayEquals(answer(QueueExit.ENVELOPE.code(), 0), read(c, 6));
        assertTrue(atEof(c));
        assertTrue(files("todo").isEmpty());
        assertTrue(files("mess").isEmpty());
    }

    @Test
    void badMagicAfterASubmissionIsAReadError() throws IOException {
        start(10, 86400, 60_000_000_000L);
        SocketChannel c = connect();
        submitOk(c, "QQ2", 91, "x\n", "Fa\0\0");
        write(c, submission("QQ3", 92, "y\n", "Fa\0\0"));
        assertArrayEquals(answer(QueueExit.READ.code(), 0), read(c, 6));
        assertTrue(atEof(c));
        assertEquals(1, files("todo").size());
    }

    @Test
    void endOfInputInsideTheNextSubmissionQueuesNothing() throws IOException {
        start(10, 86400, 60_000_000_000L);
        SocketChannel c = connect();
        submitOk(c, "QQ2", 101, "x\n", "Fa\0\0");
        byte[] s = submission("QQ2", 102, "cut off\n", "Fa\0Tb\0\0");
        write(c, Arrays.copyOf(s, s.length - 3));
        c.shutdownOutput();
        assertArrayEquals(answer(QueueExit.READ.code(), 0), read(c, 6));
        assertTrue(atEof(c));
        assertEquals(1, files("todo").size());
        assertEquals(1, files("mess").size());
        assertTrue(files("pid").isEmpty());
    }

    @Test
    void anIdleConnectionHoldsItsPlaceUntilItsClientIsDone() throws Exception {
        start(1, 86400, 60_000_000_000L);
        SocketChannel a = connect();
        submitOk(a, "QQ2", 111, "a\n", "Fa\0\0");
        SocketChannel b = connect();
        assertArrayEquals(answer(QueueExit.TEMP_REFUSED.code(), 0), read(b, 6), "the limit counts connections");
        a.shutdownOutput();
        assertTrue(atEof(a));
        // Once the server has seen a's end, a new connection gets the place.
        for (;;) {
            SocketChannel c = connect(1000, 4243);
            write(c, submission("QQ1", 112, "c\n", "Fa\0\0"));
            byte[] r = read(c, 6);
            if (r[0] != QueueExit.TEMP_REFUSED.code()) {
                assertArrayEquals(answer(0, 4243), r);
                break;
            }
            Thread.sleep(10);
        }
        assertQueued(4243, "c\n", "Fa\0\0");
    }

    @Test
    void anIdleConnectionIsClosedAfterItsIdleTime() throws IOException {
        start(10, 86400, 200_000_000L);
        SocketChannel c = connect();
        submitOk(c, "QQ2", 121, "x\n", "Fa\0\0");
        assertTrue(atEof(c), "the server closes an idle connection without a word");
        assertQueued(4242, "x\n", "Fa\0\0");
    }

    @Test
    void theSubmissionDeadlineDoesNotApplyBetweenSubmissions() throws Exception {
        start(10, 1, 60_000_000_000L);
        SocketChannel c = connect();
        submitOk(c, "QQ2", 131, "x\n", "Fa\0\0");
        Thread.sleep(2500);
        submitOk(c, "QQ2", 132, "y\n", "Fb\0\0");
        // A submission that stalls is still answered 52 at its deadline.
        write(c, Arrays.copyOf(submission("QQ2", 133, "z\n", "Fc\0\0"), 10));
        assertArrayEquals(answer(QueueExit.TIMEOUT.code(), 0), read(c, 6));
        assertTrue(atEof(c));
        assertQueued(4242, "x\n", "Fa\0\0");
        assertQueued(4242, "y\n", "Fb\0\0");
        assertEquals(2, files("todo").size());
    }

    /**
     * Submits on new connections of uid 1000's process {@code pid} until one is not refused
     * for the uid's limit (the server gives a place back just after it closed the connection
     * that held it), and asserts that it is queued; fails after 10 s.
     */
    private void submitOnceFree(long pid, String message, String envelope) throws Exception {
        for (int i = 0; ; i++) {
            SocketChannel c = connect(1000, pid);
            try {
                write(c, submission("QQ1", 0, message, envelope));
            } catch (IOException e) {
                // Refused and closed before the whole submission was written: read why.
            }
            byte[] r = read(c, 6);
            if (r[0] != QueueExit.TEMP_REFUSED.code()) {
                assertArrayEquals(answer(0, pid), r);
                assertQueued(pid, message, envelope);
                return;
            }
            assertTrue(i < 500, "the uid's place was not given back");
            Thread.sleep(20);
        }
    }

    /** Limits for the tests below: short deadlines, a stall of 300 ms for ordinary users. */
    private static Submission.Deadlines quick() {
        return new Submission.Deadlines(300_000_000L, 300_000_000L, 86400 * SECOND, 60 * SECOND, 500_000_000L);
    }

    @Test
    void anOrdinaryUserBeyondItsLimitIsRefusedAtOnceAndOthersGoOn() throws IOException {
        start(10, 3, 5, new Submission.Deadlines(30 * SECOND, 0, 86400 * SECOND, 60 * SECOND, 10 * SECOND));
        for (int i = 0; i < 3; i++) {
            write(connect(65534, 100 + i), Arrays.copyOf(submission("QQ1", 0, "held\n", "Fa\0\0"), 9));
        }
        // The fourth connection of the same uid: 71 at once, while its three are still held.
        assertArrayEquals(answer(QueueExit.TEMP_REFUSED.code(), 0), read(connect(65534, 103), 6));
        submitOk(connect(1000, 200), "QQ1", 0, 200, "another user\n", "Fa\0Tb\0\0");
        submitOk(connect(QMAILD, 201), "QQ1", 0, 5000, "smtp\n", "Fa\0Tb\0\0");
        assertQueued(1000, "by uid 1000", 200, "another user\n", "Fa\0Tb\0\0");
        assertQueued(QMAILD, "from network", 5000, "smtp\n", "Fa\0Tb\0\0");
    }

    @Test
    void ordinaryUsersTogetherCannotTakeTheSystemAccountsPlaces() throws IOException {
        start(4, 2, 2, new Submission.Deadlines(30 * SECOND, 0, 86400 * SECOND, 60 * SECOND, 10 * SECOND));
        for (long uid = 1000; uid < 1002; uid++) {
            connect(uid, 1);
            connect(uid, 2);
        }
        assertArrayEquals(answer(QueueExit.TEMP_REFUSED.code(), 0), read(connect(1002, 3), 6),
                "the ordinary users' connections together are at their limit");
        submitOk(connect(QMAILS, 4), "QQ1", 0, 5000, "bounce\n", "F\0Tb\0\0");
        SocketChannel d1 = connect(QMAILD, 5);
        SocketChannel d2 = connect(QMAILD, 6);
        assertArrayEquals(answer(QueueExit.TEMP_REFUSED.code(), 0), read(connect(QMAILD, 7), 6),
                "each system account has a limit of its own");
        submitOk(d1, "QQ1", 0, 5001, "one\n", "Fa\0Tb\0\0");
        submitOk(d2, "QQ1", 0, 5002, "two\n", "Fa\0Tb\0\0");
    }

    @Test
    void aConnectionThatSaysNothingIsAnswered52AtTheStartDeadline() throws Exception {
        start(10, 2, 1, quick());
        SocketChannel silent = connect();
        SocketChannel oneByte = connect(1000, 4243);
        write(oneByte, b("Q"));
        assertArrayEquals(answer(QueueExit.TIMEOUT.code(), 0), read(silent, 6));
        assertTrue(atEof(silent));
        assertArrayEquals(answer(QueueExit.TIMEOUT.code(), 0), read(oneByte, 6));
        assertTrue(atEof(oneByte));
        // Both places are free again.
        submitOnceFree(4244, "after\n", "Fa\0\0");
        connect(1000, 4245);
        submitOnceFree(4246, "and after\n", "Fa\0\0");
        assertTrue(files("pid").isEmpty());
    }

    @Test
    void aStalledSubmissionOfAnOrdinaryUserIsAnswered52() throws Exception {
        start(10, 1, 1, quick());
        SocketChannel c = connect();
        byte[] s = submission("QQ1", 0, "slow\n", "Fa\0Tb\0\0");
        write(c, Arrays.copyOf(s, 12));
        assertArrayEquals(answer(QueueExit.TIMEOUT.code(), 0), read(c, 6));
        assertTrue(atEof(c));
        assertTrue(files("todo").isEmpty());
        submitOnceFree(4243, "after\n", "Fa\0\0");
    }

    @Test
    void aSlowButMovingSubmissionIsNotStalled() throws Exception {
        start(10, 1, 1, quick());
        SocketChannel c = connect();
        byte[] s = submission("QQ1", 0, "slow\n", "Fa\0Tb\0\0");
        // 1.5 s in all, but never 300 ms without a byte.
        for (int i = 0; i < s.length; i++) {
            write(c, Arrays.copyOfRange(s, i, i + 1));
            Thread.sleep(1500 / s.length);
        }
        assertArrayEquals(answer(0, 4242), read(c, 6));
    }

    @Test
    void theSystemAccountsHaveNoStallDeadline() throws Exception {
        start(10, 1, 1, quick());
        SocketChannel c = connect(QMAILD, 9);
        byte[] s = submission("QQ1", 0, "slow client\n", "Fa\0Tb\0\0");
        write(c, Arrays.copyOf(s, 12));
        // qmail-smtpd sends a slow client's message in large pieces: long silences are normal.
        Thread.sleep(1000);
        write(c, Arrays.copyOfRange(s, 12, s.length));
        assertArrayEquals(answer(0, 5000), read(c, 6));
        assertQueued(QMAILD, "from network", 5000, "slow client\n", "Fa\0Tb\0\0");
    }

    @Test
    void aClientThatReadsNoAnswersHoldsNeitherTheWatchdogNorItsPlace() throws Exception {
        start(10, 1, 1, quick());
        SocketChannel greedy = connect();
        // Thousands of small QQ2 submissions whose answers are never read: the server's
        // writes of the answers fill the connection and block.
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] one = submission("QQ2", 0, "x", "Fa\0\0");
        for (int i = 0; i < 4000; i++) {
            o.writeBytes(one);
        }
        Thread writer = new Thread(() -> {
            try {
                write(greedy, o.toByteArray());
            } catch (IOException e) {
                // Closed by the server.
            }
        });
        writer.setDaemon(true);
        writer.start();
        // Meanwhile the watchdog still answers another connection's start deadline.
        SocketChannel silent = connect(1001, 5);
        assertArrayEquals(answer(QueueExit.TIMEOUT.code(), 0), read(silent, 6));
        // And the greedy connection is closed once an answer has waited its grace time, so
        // that its uid's one place is free again.
        submitOnceFree(6, "again\n", "Fa\0\0");
    }
}
