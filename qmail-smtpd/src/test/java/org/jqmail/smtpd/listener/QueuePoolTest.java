package org.jqmail.smtpd.listener;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jqmail.control.QueueClient;
import org.jqmail.control.QueueExit;
import org.jqmail.control.QueueProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link QueuePool} against a stand-in qmail-queued that speaks {@link QueueProtocol}
 * (keeping a {@code QQ2} connection open after an answer 0) and records, per connection,
 * every submission it read whole and how the connection ended.
 */
class QueuePoolTest {
    @TempDir
    Path dir;
    private Stub stub;

    /** What the stand-in read: the connection's number, magic, qp, message and envelope. */
    record Sub(int conn, String magic, long qp, String message, String envelope) {
    }

    /** A stand-in qmail-queued. */
    static final class Stub implements AutoCloseable {
        final ServerSocketChannel server;
        final AtomicInteger accepted = new AtomicInteger();
        final List<Sub> subs = new CopyOnWriteArrayList<>();
        /** Connections whose client closed them between submissions. */
        final LinkedBlockingQueue<Integer> clientClosed = new LinkedBlockingQueue<>();
        /** Codes to answer, in order; 0 when empty. */
        final ConcurrentLinkedQueue<Integer> codes = new ConcurrentLinkedQueue<>();
        final List<SocketChannel> open = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final AtomicInteger qps = new AtomicInteger(100);

        Stub(Path socket) throws IOException {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread t = new Thread(this::accept);
            t.setDaemon(true);
            t.start();
        }

        private void accept() {
            for (;;) {
                SocketChannel ch;
                try {
                    ch = server.accept();
                } catch (IOException e) {
                    return;
                }
                int n = accepted.incrementAndGet();
                open.add(ch);
                Thread t = new Thread(() -> serve(ch, n));
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        private static int get(SocketChannel ch) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(1);
            return ch.read(b) < 0 ? -1 : b.get(0) & 0xff;
        }

        private static byte[] read(SocketChannel ch, int n) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(n);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    throw new IOException("end of input");
                }
            }
            return b.array();
        }

        private void serve(SocketChannel ch, int conn) {
            try (ch) {
                for (;;) {
                    int c = get(ch);
                    if (c < 0) {
                        clientClosed.add(conn);
                        return;
                    }
                    byte[] head = read(ch, 6);
                    String magic = (char) c + new String(head, 0, 2, StandardCharsets.ISO_8859_1);
                    long qp = QueueProtocol.be32(head, 2);
                    ByteArrayOutputStream m = new ByteArrayOutputStream();
                    for (;;) {
                        int len = QueueProtocol.be32(read(ch, 4), 0);
                        if (len == 0) {
                            break;
                        }
                        m.writeBytes(read(ch, len));
                    }
                    ByteArrayOutputStream e = new ByteArrayOutputStream();
                    for (;;) {
                        int t = get(ch);
                        if (t < 0) {
                            throw new IOException("end of input in the envelope");
                        }
                        e.write(t);
                        if (t == 0) {
                            break;
                        }
                        int x;
                        while ((x = get(ch)) > 0) {
                            e.write(x);
                        }
                        e.write(0);
                    }
                    subs.add(new Sub(conn, magic, qp, m.toString(StandardCharsets.ISO_8859_1),
                            e.toString(StandardCharsets.ISO_8859_1)));
                    Integer code = codes.poll();
                    int k = code == null ? 0 : code;
                    byte[] r = new byte[6];
                    r[0] = (byte) k;
                    QueueProtocol.be32(r, 1, k == 0 ? qps.getAndIncrement() : 0);
                    ch.write(ByteBuffer.wrap(r));
                    if (k != 0 || !magic.equals("QQ2")) {
                        return;
                    }
                }
            } catch (IOException e) {
                // The connection is gone.
            }
        }

        /**
         * Closes every connection, as a restarted qmail-queued has, and waits until the
         * threads that read them are gone (the JDK closes a channel's descriptor only then).
         */
        void dropAll() throws IOException, InterruptedException {
            for (SocketChannel c : open) {
                c.close();
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            server.close();
            dropAll();
        }
    }

    @BeforeEach
    void start() throws IOException {
        stub = new Stub(dir.resolve("qmail-queue"));
    }

    @AfterEach
    void stop() throws Exception {
        stub.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** One submission through {@code pool}; returns qmail's status string. */
    private static String submit(QueuePool pool, String body, String from, String to) throws IOException {
        QueueClient qc = pool.open();
        qc.put(b(body));
        qc.from(b(from));
        qc.to(b(to));
        return qc.close();
    }

    @Test
    void aConnectionCarriesTheNextSubmissions() throws IOException {
        try (QueuePool pool = new QueuePool(dir.resolve("qmail-queue"))) {
            assertEquals("", submit(pool, "one\n", "a@b", "c@d"));
            assertEquals(1, pool.idle());
            assertEquals("", submit(pool, "two\n", "", "e@f"));
            assertEquals("", submit(pool, "three\n", "g@h", "i@j"));
            assertEquals(1, stub.accepted.get());
            assertEquals(List.of(new Sub(1, "QQ2", 0, "one\n", "Fa@b\0Tc@d\0\0"),
                    new Sub(1, "QQ2", 0, "two\n", "F\0Te@f\0\0"),
                    new Sub(1, "QQ2", 0, "three\n", "Fg@h\0Ti@j\0\0")), stub.subs);
        }
    }

    @Test
    void qpIsTheServers() throws IOException {
        try (QueuePool pool = new QueuePool(dir.resolve("qmail-queue"))) {
            QueueClient qc = pool.open();
            qc.put(b("x"));
            qc.from(b("a"));
            assertEquals("", qc.close());
            assertEquals(100, qc.qp());
            qc = pool.open();
            qc.put(b("y"));
            qc.from(b("a"));
            assertEquals("", qc.close());
            assertEquals(101, qc.qp());
        }
    }

    @Test
    void aConnectionTheServerClosedIsNotUsed() throws Exception {
        try (QueuePool pool = new QueuePool(dir.resolve("qmail-queue"))) {
            assertEquals("", submit(pool, "before\n", "a", "b"));
            stub.dropAll();
            assertEquals("", submit(pool, "after\n", "c", "d"));
            assertEquals(2, stub.accepted.get());
            assertEquals(List.of(new Sub(1, "QQ2", 0, "before\n", "Fa\0Tb\0\0"),
                    new Sub(2, "QQ2", 0, "after\n", "Fc\0Td\0\0")), stub.subs);
        }
    }

    @Test
    void aFailedSubmissionsConnectionIsClosed() throws Exception {
        try (QueuePool pool = new QueuePool(dir.resolve("qmail-queue"))) {
            stub.codes.add(QueueExit.WRITE.code());
            assertEquals("Zqq write error or disk full (#4.3.0)", submit(pool, "x", "a", "b"));
            assertEquals(0, pool.idle());
            assertEquals("", submit(pool, "y", "a", "b"));
            assertEquals(2, stub.accepted.get());
        }
    }

    @Test
    void anAbandonedSubmissionsConnectionIsClosed() throws Exception {
        try (QueuePool pool = new QueuePool(dir.resolve("qmail-queue"))) {
            assertEquals("", submit(pool, "x", "a", "b"));
            QueueClient qc = pool.open();
            qc.put(b("half"));
            qc.fail();
            qc.from(b("a"));
            qc.close();
            assertEquals(0, pool.idle());
            assertEquals("", submit(pool, "z", "a", "b"));
            assertEquals(2, stub.accepted.get());
            assertEquals(2, stub.subs.size());
        }
    }

    @Test
    void atMostMaxIdleConnectionsAreKeptAndTheMostRecentIsUsedFirst() throws Exception {
        try (QueuePool pool = new QueuePool(dir.resolve("qmail-queue"), 3, 60_000_000_000L)) {
            List<QueueClient> open = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                QueueClient qc = pool.open();
                qc.put(b("m" + i));
                qc.from(b("a"));
                open.add(qc);
            }
            for (QueueClient qc : open) {
                assertEquals("", qc.close());
            }
            assertEquals(5, stub.accepted.get());
            assertEquals(3, pool.idle());
            // The two released last found the pool full: closed.
            List<Integer> closed = List.of(stub.clientClosed.take(), stub.clientClosed.take());
            assertEquals(List.of(4, 5), closed.stream().sorted().toList());
            assertEquals("", submit(pool, "again", "a", "b"));
            assertEquals(3, stub.subs.get(stub.subs.size() - 1).conn(), "LIFO: the connection released last");
            assertEquals(5, stub.accepted.get());
        }
    }

    @Test
    void idleConnectionsAreClosedAfterTheirIdleTime() throws Exception {
        try (QueuePool pool = new QueuePool(dir.resolve("qmail-queue"), 8, 100_000_000L)) {
            assertEquals("", submit(pool, "x", "a", "b"));
            assertEquals(1, (int) stub.clientClosed.take(), "the pool closes an idle connection");
            assertEquals(0, pool.idle());
            assertEquals("", submit(pool, "y", "a", "b"));
            assertEquals(2, stub.accepted.get());
        }
    }

    @Test
    void noServerMeansOpenFails() throws Exception {
        stub.close();
        java.nio.file.Files.delete(dir.resolve("qmail-queue"));
        try (QueuePool pool = new QueuePool(dir.resolve("qmail-queue"))) {
            org.junit.jupiter.api.Assertions.assertThrows(IOException.class, pool::open);
        }
    }
}
