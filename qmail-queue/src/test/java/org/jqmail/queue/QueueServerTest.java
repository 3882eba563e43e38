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

    /** Starts a server: at most {@code limit} connections, deadline and idle time as given. */
    private void start(int limit, long deadlineSeconds, long idleNanos) throws IOException {
        queue = dir.resolve("queue");
        for (String d : List.of("pid", "intd", "todo", "mess")) {
            Files.createDirectories(queue.resolve(d));
        }
        for (int i = 0; i < SPLIT; i++) {
            Files.createDirectory(queue.resolve("mess/" + i));
        }
        socket = dir.resolve("sock/qmail-queue");
        server = QueueServer.bind(socket);
        QueueServer qs = new QueueServer(new Enqueue(queue, SPLIT, pulls::incrementAndGet),
                new Invokers(7, 8, 9), ch -> 1000, limit, deadlineSeconds, 5000, idleNanos, () -> T);
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

    private SocketChannel connect() throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        clients.add(c);
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

    /** Sends one submission on {@code c} and asserts that it is answered 0 with its qp. */
    private static void submitOk(SocketChannel c, String magic, long qp, String message, String envelope)
            throws IOException {
        write(c, submission(magic, qp, message, envelope));
        assertArrayEquals(answer(0, qp), read(c, 6));
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

    /** Asserts that qp's message is queued exactly: mess with qmail-queue's Received line, todo. */
    private void assertQueued(long qp, String message, String envelope) throws IOException {
        String p = "u1000\0p" + qp + "\0";
        Path todo = null;
        for (Path t : files("todo")) {
            if (new String(Files.readAllBytes(t), StandardCharsets.ISO_8859_1).startsWith(p)) {
                todo = t;
            }
        }
        assertTrue(todo != null, "qp " + qp + " is not queued");
        long n = Long.parseLong(todo.getFileName().toString());
        assertArrayEquals(b(p + envelope.substring(0, envelope.length() - 1)), Files.readAllBytes(todo));
        assertArrayEquals(Files.readAllBytes(todo), Files.readAllBytes(queue.resolve("intd/" + n)));
        assertArrayEquals(b("Received: (qmail " + qp + " invoked by uid 1000); " + DATE + "\n" + message),
                Files.readAllBytes(queue.resolve("mess/" + (n % SPLIT) + "/" + n)));
    }

    @Test
    void oneQq2ConnectionCarriesSeveralSubmissions() throws IOException {
        start(10, 86400, 60_000_000_000L);
        SocketChannel c = connect();
        submitOk(c, "QQ2", 41, "Subject: one\n\nfirst\n", "Fa@b\0Tc@d\0\0");
        submitOk(c, "QQ2", 42, "Subject: two\n\nsecond\n", "F\0Tx@y\0Tz@w\0\0");
        // qp 0: the server numbers it.
        write(c, submission("QQ2", 0, "third", "Fe@f\0\0"));
        assertArrayEquals(answer(0, 5000), read(c, 6));
        c.shutdownOutput();
        assertTrue(atEof(c), "end of input between submissions ends the connection");
        assertEquals(3, files("todo").size());
        assertQueued(41, "Subject: one\n\nfirst\n", "Fa@b\0Tc@d\0\0");
        assertQueued(42, "Subject: two\n\nsecond\n", "F\0Tx@y\0Tz@w\0\0");
        assertQueued(5000, "third", "Fe@f\0\0");
        assertTrue(files("pid").isEmpty());
        assertEquals(3, pulls.get());
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
        assertArrayEquals(b(new String(answer(0, 51), StandardCharsets.ISO_8859_1)
                + new String(answer(0, 52), StandardCharsets.ISO_8859_1)), read(c, 12));
        assertTrue(atEof(c), "a QQ1 submission is the connection's last");
        assertQueued(51, "m1\n", "Fa\0Tb\0\0");
        assertQueued(52, "m2\n", "Fc\0Td\0\0");
    }

    @Test
    void qq1ConnectionIsClosedAfterItsAnswer() throws IOException {
        start(10, 86400, 60_000_000_000L);
        SocketChannel c = connect();
        submitOk(c, "QQ1", 61, "only\n", "Fa\0Tb\0\0");
        assertTrue(atEof(c));
        assertQueued(61, "only\n", "Fa\0Tb\0\0");
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
        assertArrayEquals(answer(QueueExit.READ, 0), read(c, 6));
        assertTrue(atEof(c));
        assertEquals(1, files("todo").size());
        assertEquals(1, files("mess").size(), "the failed submission's files are cleaned up");
        assertEquals(1, files("intd").size());
        assertQueued(71, "good\n", "Fa\0Tb\0\0");
    }

    @Test
    void aFailedSubmissionClosesEvenAfterItWasReadWhole() throws IOException {
        start(10, 86400, 60_000_000_000L);
        SocketChannel c = connect();
        write(c, submission("QQ2", 81, "x\n", "Fa\0Xb\0\0"));
        assertArrayEquals(answer(QueueExit.ENVELOPE, 0), read(c, 6));
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
        assertArrayEquals(answer(QueueExit.READ, 0), read(c, 6));
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
        assertArrayEquals(answer(QueueExit.READ, 0), read(c, 6));
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
        assertArrayEquals(answer(QueueExit.TEMP_REFUSED, 0), read(b, 6), "the limit counts connections");
        a.shutdownOutput();
        assertTrue(atEof(a));
        // Once the server has seen a's end, a new connection gets the place.
        for (;;) {
            SocketChannel c = connect();
            write(c, submission("QQ1", 112, "c\n", "Fa\0\0"));
            byte[] r = read(c, 6);
            if (r[0] != QueueExit.TEMP_REFUSED) {
                assertArrayEquals(answer(0, 112), r);
                break;
            }
            Thread.sleep(10);
        }
        assertQueued(112, "c\n", "Fa\0\0");
    }

    @Test
    void anIdleConnectionIsClosedAfterItsIdleTime() throws IOException {
        start(10, 86400, 200_000_000L);
        SocketChannel c = connect();
        submitOk(c, "QQ2", 121, "x\n", "Fa\0\0");
        assertTrue(atEof(c), "the server closes an idle connection without a word");
        assertQueued(121, "x\n", "Fa\0\0");
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
        assertArrayEquals(answer(QueueExit.TIMEOUT, 0), read(c, 6));
        assertTrue(atEof(c));
        assertQueued(131, "x\n", "Fa\0\0");
        assertQueued(132, "y\n", "Fb\0\0");
        assertEquals(2, files("todo").size());
    }
}
