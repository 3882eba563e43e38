package org.jqmail.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.jqmail.io.ByteBuf;

/**
 * A submission over qmail-queued's Unix-domain socket, framed by {@link QueueProtocol}: a new
 * connection ({@code QQ1}, closed after the answer) or one of a {@link QueueConnections} pool's
 * ({@code QQ2}, given back after an answer 0 to a submission sent whole).
 */
final class QueueSocket implements QueueSink {
    /** Message and envelope bytes collected before a write (one write for a small message). */
    private static final int PENDING_MAX = 64 * 1024;
    /** A message chunk this large is written at once rather than collected. */
    private static final int DIRECT_MIN = 16 * 1024;

    private final SocketChannel ch;
    /** Where the connection goes after an answer 0 ({@code QQ2}); null: closed ({@code QQ1}). */
    private final QueueConnections pool;
    private final byte[] hdr = new byte[4];
    private final ByteBuf pending = new ByteBuf(4096, PENDING_MAX);

    private QueueSocket(SocketChannel ch, QueueConnections pool) {
        this.ch = ch;
        this.pool = pool;
    }

    static QueueSocket connect(Path socket, long qp) throws IOException {
        return connect(socket, qp, null);
    }

    /**
     * A submission on one of {@code pool}'s idle connections, or on a new one for {@code pool}
     * when none is left; the server numbers it (qp 0). Writing the header is the check that the
     * server still holds an idle connection ({@link QueueConnections}): a write to one it closed
     * fails at once, nothing reached any server, and the connection is closed and the next one
     * tried.
     */
    static QueueSocket pooled(QueueConnections pool) throws IOException {
        SocketChannel ch;
        while ((ch = pool.take()) != null) {
            try {
                header(ch, 0, pool);
                return new QueueSocket(ch, pool);
            } catch (IOException e) {
                // The server closed it: the header went nowhere.
                close(ch);
            }
        }
        return connect(pool.socket(), 0, pool);
    }

    /** A new connection and the submission's header; {@code QQ2} when it is for {@code pool}. */
    private static QueueSocket connect(Path socket, long qp, QueueConnections pool) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            header(ch, qp, pool);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new QueueSocket(ch, pool);
    }

    /** A submission's header on {@code ch} (a new or a pooled connection). */
    private static void header(SocketChannel ch, long qp, QueueConnections pool) throws IOException {
        byte[] h = QueueProtocol.header(pool != null, qp);
        writeFully(ch, h, 0, h.length);
    }

    private static void writeFully(SocketChannel ch, byte[] b, int off, int n) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, off, n);
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }

    /**
     * Queues bytes for the server. The header went out at connect time (the server takes
     * the Received line's date from its arrival, qmail-queue's start); what follows is
     * collected and written in as few writes as possible, so that qmail-queued's thread
     * wakes once for a small message rather than once per record.
     */
    private void send(byte[] b, int off, int n) throws IOException {
        if (pending.length() + n > PENDING_MAX) {
            flush();
            if (n > PENDING_MAX) {
                writeFully(ch, b, off, n);
                return;
            }
        }
        pending.append(b, off, n);
    }

    @Override
    public void flush() throws IOException {
        if (pending.length() > 0) {
            writeFully(ch, pending.array(), 0, pending.length());
            pending.clear();
        }
    }

    @Override
    public void message(byte[] b, int off, int n) throws IOException {
        QueueProtocol.chunkLength(hdr, n);
        if (n < DIRECT_MIN) {
            send(hdr, 0, 4);
            send(b, off, n);
            return;
        }
        // A large chunk goes out at once, with whatever was pending, without being copied.
        ByteBuffer[] v = {ByteBuffer.wrap(pending.array(), 0, pending.length()), ByteBuffer.wrap(hdr),
            ByteBuffer.wrap(b, off, n)};
        pending.clear();
        while (v[2].hasRemaining()) {
            ch.write(v);
        }
    }

    @Override
    public void endMessage() throws IOException {
        send(QueueProtocol.END, 0, QueueProtocol.END.length);
    }

    @Override
    public void envelope(byte[] rec) throws IOException {
        send(rec, 0, rec.length);
    }

    /**
     * Reads the answer. A pooled connection ({@code QQ2}) goes back to its pool only after
     * an answer 0 to a submission that was sent whole ({@code clean}); every other
     * connection is closed.
     */
    @Override
    public Result finish(boolean abandon, boolean clean) {
        boolean keep = false;
        try {
            if (abandon) {
                // Closing without the envelope's end makes the server discard the message.
                return new Result(false, QueueExit.READ.code(), 0, null);
            }
            try {
                flush();
            } catch (IOException e) {
                // As for any write error: the server's answer, if any, says why.
                clean = false;
            }
            if (pool == null) {
                try {
                    ch.shutdownOutput();
                } catch (IOException e) {
                    // The server may have closed already; its reply can still be read.
                }
            }
            byte[] head = readN(ch, QueueProtocol.ANSWER_LEN);
            if (head.length < QueueProtocol.ANSWER_LEN) {
                return new Result(false, QueueExit.COMM.code(), 0, null);
            }
            QueueProtocol.Answer a = QueueProtocol.answer(head);
            byte[] text = readN(ch, a.textLength());
            keep = pool != null && clean && a.code() == QueueExit.OK.code() && a.textLength() == 0;
            return new Result(false, a.code(), a.qp(), text.length == 0 ? null : text);
        } catch (IOException e) {
            return new Result(false, QueueExit.COMM.code(), 0, null);
        } finally {
            if (keep) {
                pool.release(ch);
            } else {
                close(ch);
            }
        }
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Nothing more to say to the server.
        }
    }

    /** Up to {@code n} bytes: fewer only at end of input. */
    private static byte[] readN(SocketChannel ch, int n) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(n);
        while (bb.hasRemaining() && ch.read(bb) >= 0) {
            // Reads until n bytes or end of input.
        }
        return bb.position() == n ? bb.array() : java.util.Arrays.copyOf(bb.array(), bb.position());
    }
}
