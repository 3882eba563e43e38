package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message that trickles in goes to qmail-queued at least every 30 seconds in what has come
 * so far, and not before: the bytes on the socket show exactly where the client cut its
 * chunks.
 */
class QueueClientTrickleTest {
    private static final long SECOND = 1_000_000_000L;

    @TempDir
    Path dir;

    private static byte[] read(SocketChannel c, int n) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(n);
        while (bb.hasRemaining() && c.read(bb) >= 0) {
            // Until n bytes or end of input.
        }
        return Arrays.copyOf(bb.array(), bb.position());
    }

    private static byte[] chunk(String s) {
        byte[] h = new byte[4];
        QueueProtocol.be32(h, 0, s.length());
        return Bytes.concat(h, Bytes.ascii(s));
    }

    @Test
    void aTricklingMessageIsSentOnEveryThirtySeconds() throws IOException {
        UnixDomainSocketAddress a = UnixDomainSocketAddress.of(dir.resolve("s"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(a);
            AtomicLong t = new AtomicLong(1000 * SECOND);
            QueueClient qc = QueueClient.openSocket(dir.resolve("s"), 0, t::get);
            try (SocketChannel s = server.accept()) {
                assertArrayEquals(new byte[] {'Q', 'Q', '1', 0, 0, 0, 0}, read(s, 7));
                qc.puts("ab");
                t.addAndGet(29 * SECOND);
                qc.puts("c");
                // 30 s after the header: what has come goes out, as one chunk.
                t.addAndGet(SECOND);
                qc.puts("d");
                assertArrayEquals(chunk("abcd"), read(s, 8));
                qc.puts("e");
                t.addAndGet(30 * SECOND);
                qc.puts("f");
                assertArrayEquals(chunk("ef"), read(s, 6));
                // The rest goes at the end, as always.
                qc.puts("gh");
                qc.from(Bytes.ascii("a@b"));
                qc.to(Bytes.ascii("c@d"));
                Thread closer = new Thread(qc::close);
                closer.setDaemon(true);
                closer.start();
                assertArrayEquals(Bytes.concat(chunk("gh"), new byte[4], Bytes.ascii("Fa@b\0Tc@d\0\0")), read(s, 21));
            }
        }
    }
}
