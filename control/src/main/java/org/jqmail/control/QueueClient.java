package org.jqmail.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Spawn;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.WaitStatus;

/**
 * The qmail-queue client library, qmail's {@code qmail.c} (doc/PROTOCOLS.md §1.2): every program
 * that queues mail writes the message with {@link #put}, the envelope with {@link #from} and
 * {@link #to}, and gets qmail's status string from {@link #close}.
 *
 * <p>By default it talks to qmail-queued over its Unix-domain socket ({@link QueueProtocol});
 * the server learns the submitter's uid from the kernel. If the environment variable
 * {@code QMAILQUEUE} is set, it instead runs that program from QMAILHOME with the message on
 * fd 0, the envelope on fd 1 and the error channel on fd 6, exactly as qmail does; only that
 * path loads native code.
 *
 * <p>Not thread-safe: one client per submission.
 */
public final class QueueClient implements Qmail {
    /** Message bytes collected per chunk: a 100 KB message goes out in two chunks. */
    private static final int BUF = QueueProtocol.CHUNK_MAX;
    /**
     * A message that trickles in is sent on at least this often, in what has come so far, so
     * that qmail-queued's stall deadline for ordinary users ({@code doc/PROTOCOLS.md} §2.3)
     * measures the sender's silence and not this buffer: a slow job piping its output into
     * qmail-inject is seen to be alive.
     */
    static final long TRICKLE_NANOS = 30_000_000_000L;

    private final Sink sink;
    /** The clock for {@link #TRICKLE_NANOS} (System.nanoTime when null: no lambda at start-up). */
    private final java.util.function.LongSupplier clock;
    /** When message bytes last went to the sink. */
    private long sent;
    private final byte[] buf = new byte[BUF];
    private int len;
    private boolean failed;
    private boolean writeError;
    private boolean envelopeStarted;
    private long qp;
    private int exitCode;
    private byte[] text;
    private String status;

    private QueueClient(Sink sink) {
        this(sink, null);
    }

    private QueueClient(Sink sink, java.util.function.LongSupplier clock) {
        this.sink = sink;
        this.clock = clock;
        this.sent = now();
    }

    private long now() {
        return clock == null ? System.nanoTime() : clock.getAsLong();
    }

    /**
     * Submissions through {@link #open(Auto)}. A named class, not a lambda: a short-lived
     * program's first lambda costs start-up time. A native layer that cannot start
     * {@code QMAILQUEUE} counts as qmail-queue not starting.
     */
    public static Qmail.Opener opener(Auto auto) {
        return new AutoOpener(auto);
    }

    /** As {@link #opener(Auto)} with {@link Auto#get()}, read only when a submission starts. */
    public static Qmail.Opener opener() {
        return new AutoOpener(null);
    }

    private static final class AutoOpener implements Qmail.Opener {
        private final Auto auto;

        AutoOpener(Auto auto) {
            this.auto = auto;
        }

        @Override
        public Qmail open() throws IOException {
            try {
                return QueueClient.open(auto != null ? auto : Auto.get());
            } catch (UnsupportedOperationException e) {
                throw new IOException(e);
            }
        }
    }

    /**
     * {@code qmail_open}: starts a submission, honouring {@code QMAILQUEUE}. Throws if
     * qmail-queue cannot be started at all (qmail-smtpd then answers {@code 451 qqt failure}).
     */
    public static QueueClient open(Auto auto) throws IOException {
        String qq = System.getenv("QMAILQUEUE");
        if (qq != null) {
            return new QueueClient(ExecSink.start(auto.home(), qq, null));
        }
        return openSocket(auto.queueSocket(), 0);
    }

    /**
     * {@code qmail_open} for a caller whose environment is not the process's own, such as a
     * session of the SMTP listener: {@code QMAILQUEUE} is looked up in {@code env}, and a
     * {@code $QMAILQUEUE} child gets {@code env} as its whole environment, as it would have
     * under tcpserver.
     */
    public static QueueClient open(Auto auto, java.util.Map<String, String> env) throws IOException {
        String qq = env.get("QMAILQUEUE");
        if (qq != null) {
            List<String> e = new java.util.ArrayList<>(env.size());
            for (java.util.Map.Entry<String, String> en : env.entrySet()) {
                e.add(en.getKey() + "=" + en.getValue());
            }
            return new QueueClient(ExecSink.start(auto.home(), qq, e));
        }
        return openSocket(auto.queueSocket(), 0);
    }

    /**
     * As {@link #open(Auto, java.util.Map)}, but a submission over the socket goes through
     * {@code pool}'s connections ({@code QQ2}); {@code QMAILQUEUE} runs that program as always.
     */
    public static QueueClient open(Auto auto, java.util.Map<String, String> env, QueueConnections pool)
            throws IOException {
        if (env.get("QMAILQUEUE") != null) {
            return open(auto, env);
        }
        return open(pool);
    }

    /**
     * Starts a submission that the server numbers (qp 0) on one of {@code pool}'s idle
     * connections, or on a new one for {@code pool} when none is left. Writing the header is
     * the check that the server still holds an idle connection ({@link QueueConnections}): a
     * write to one it closed fails at once, nothing reached any server, and the connection is
     * closed and the next one tried.
     */
    public static QueueClient open(QueueConnections pool) throws IOException {
        SocketChannel ch;
        while ((ch = pool.take()) != null) {
            try {
                SocketSink.header(ch, 0, pool);
                return new QueueClient(new SocketSink(ch, pool));
            } catch (IOException e) {
                // The server closed it: the header went nowhere.
                SocketSink.close(ch);
            }
        }
        return new QueueClient(SocketSink.connect(pool.socket(), 0, pool));
    }

    /**
     * Starts a submission over qmail-queued's socket, asking it to record {@code qp} (0: the
     * server numbers the submission). Used directly by the {@code bin/qmail-queue} client,
     * which must never re-route through {@code QMAILQUEUE}.
     */
    public static QueueClient openSocket(Path socket, long qp) throws IOException {
        return new QueueClient(SocketSink.connect(socket, qp));
    }

    /** As {@link #openSocket(Path, long)} with the trickle clock {@code clock} (tests). */
    static QueueClient openSocket(Path socket, long qp, java.util.function.LongSupplier clock) throws IOException {
        return new QueueClient(SocketSink.connect(socket, qp), clock);
    }

    /** {@code qmail_put}: appends message bytes. */
    @Override
    public void put(byte[] b, int off, int n) {
        if (stopped() || envelopeStarted) {
            return;
        }
        while (n > 0) {
            if (len == buf.length) {
                flushMessage();
                if (stopped()) {
                    return;
                }
            }
            int k = Math.min(n, buf.length - len);
            System.arraycopy(b, off, buf, len, k);
            len += k;
            off += k;
            n -= k;
        }
        if (len > 0 && now() - sent >= TRICKLE_NANOS) {
            flushMessage();
            try {
                sink.flush();
            } catch (IOException e) {
                writeError = true;
            }
        }
    }

    @Override
    public void put(byte[] b) {
        put(b, 0, b.length);
    }

    /** {@code qmail_puts} for ASCII text. */
    public void puts(String ascii) {
        put(org.jqmail.io.Bytes.ascii(ascii));
    }

    /** Copies {@code in} to the message until end of input. */
    public void putAll(InputStream in) throws IOException {
        byte[] b = new byte[BUF];
        int n;
        while ((n = in.read(b)) > 0) {
            put(b, 0, n);
        }
    }

    /** True once nothing more should be sent: the caller failed the message or a write failed. */
    private boolean stopped() {
        return failed || writeError;
    }

    private void flushMessage() {
        if (len == 0 || stopped()) {
            len = 0;
            return;
        }
        try {
            sink.message(buf, 0, len);
        } catch (IOException e) {
            writeError = true;
        }
        len = 0;
        sent = now();
    }

    /** {@code qmail_fail}: the message will not be queued; stop sending data. */
    @Override
    public void fail() {
        failed = true;
    }

    /** {@code qmail_from}: ends the message and starts the envelope with the sender. */
    @Override
    public void from(byte[] sender) {
        startEnvelope();
        envelope('F', sender);
    }

    /** {@code qmail_to}: one recipient. */
    @Override
    public void to(byte[] rcpt) {
        envelope('T', rcpt);
    }

    private void startEnvelope() {
        if (envelopeStarted) {
            return;
        }
        flushMessage();
        envelopeStarted = true;
        if (!stopped()) {
            try {
                sink.endMessage();
            } catch (IOException e) {
                writeError = true;
            }
        }
    }

    private void envelope(char type, byte[] addr) {
        if (stopped()) {
            return;
        }
        byte[] rec = new byte[addr.length + 2];
        rec[0] = (byte) type;
        System.arraycopy(addr, 0, rec, 1, addr.length);
        try {
            sink.envelope(rec);
        } catch (IOException e) {
            writeError = true;
        }
    }

    /**
     * {@code qmail_close}: ends the envelope, waits for qmail-queue and returns its status
     * string: empty on success, else a text starting with {@code Z} or {@code D}.
     */
    @Override
    public String close() {
        if (status != null) {
            return status;
        }
        startEnvelope();
        if (!stopped()) {
            try {
                sink.envelope(new byte[] {0});
            } catch (IOException e) {
                writeError = true;
            }
        }
        // After a write error the server may still have said why (disk full, say): read it.
        Result r = sink.finish(failed && !writeError, !failed && !writeError);
        qp = r.qp;
        exitCode = r.code;
        text = r.text;
        status = QueueExit.status(r.crashed, r.code, writeError, r.text, r.text == null ? 0 : r.text.length);
        return status;
    }

    /**
     * qmail-queue's exit code for this submission, valid after {@link #close}: the server's
     * answer, or 74 when the conversation with qmail-queued broke off.
     */
    public int exitCode() {
        return exitCode;
    }

    /** The fd 6 text that came with exit code 82, or null; valid after {@link #close}. */
    public byte[] customText() {
        return text == null ? null : text.clone();
    }

    /** The qp of the submission, valid after {@link #close}. */
    @Override
    public long qp() {
        return qp;
    }

    /** The outcome of one qmail-queue run. */
    record Result(boolean crashed, int code, long qp, byte[] text) {
    }

    /** Where the bytes go: qmail-queued's socket, or a {@code $QMAILQUEUE} process. */
    private interface Sink {
        void message(byte[] b, int off, int n) throws IOException;

        void endMessage() throws IOException;

        void envelope(byte[] rec) throws IOException;

        /** Writes out whatever bytes are kept back for a larger write. */
        void flush() throws IOException;

        /**
         * Ends the submission (abandoning it if {@code abandon}) and collects the result;
         * {@code clean} when every byte of the submission was handed over without an error.
         */
        Result finish(boolean abandon, boolean clean);
    }

    private static final class SocketSink implements Sink {
        /** Message and envelope bytes collected before a write (one write for a small message). */
        private static final int PENDING_MAX = 64 * 1024;
        /** A message chunk this large is written at once rather than collected. */
        private static final int DIRECT_MIN = 16 * 1024;

        private final SocketChannel ch;
        /** Where the connection goes after an answer 0 ({@code QQ2}); null: closed ({@code QQ1}). */
        private final QueueConnections pool;
        private final byte[] hdr = new byte[4];
        private final ByteBuf pending = new ByteBuf(4096, PENDING_MAX);

        private SocketSink(SocketChannel ch, QueueConnections pool) {
            this.ch = ch;
            this.pool = pool;
        }

        static SocketSink connect(Path socket, long qp) throws IOException {
            return connect(socket, qp, null);
        }

        /** A new connection and the submission's header; {@code QQ2} when it is for {@code pool}. */
        static SocketSink connect(Path socket, long qp, QueueConnections pool) throws IOException {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                header(ch, qp, pool);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new SocketSink(ch, pool);
        }

        /** A submission's header on {@code ch} (a new or a pooled connection). */
        static void header(SocketChannel ch, long qp, QueueConnections pool) throws IOException {
            byte[] h = new byte[7];
            System.arraycopy(pool == null ? QueueProtocol.MAGIC : QueueProtocol.MAGIC_MANY, 0, h, 0, 3);
            QueueProtocol.be32(h, 3, (int) qp);
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
            QueueProtocol.be32(hdr, 0, n);
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
            QueueProtocol.be32(hdr, 0, 0);
            send(hdr, 0, 4);
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
                    return new Result(false, QueueExit.READ, 0, null);
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
                byte[] head = readN(ch, 6);
                if (head.length < 6) {
                    return new Result(false, QueueExit.COMM, 0, null);
                }
                int textlen = head[5] & 0xff;
                byte[] text = readN(ch, textlen);
                int code = head[0] & 0xff;
                keep = pool != null && clean && code == QueueExit.OK && textlen == 0;
                return new Result(false, code, QueueProtocol.be32(head, 1) & 0xffffffffL,
                        text.length == 0 ? null : text);
            } catch (IOException e) {
                return new Result(false, QueueExit.COMM, 0, null);
            } finally {
                if (keep) {
                    pool.release(ch);
                } else {
                    close(ch);
                }
            }
        }

        static void close(SocketChannel ch) {
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

    /** {@code $QMAILQUEUE}: a child with message on fd 0, envelope on fd 1, errors on fd 6. */
    private static final class ExecSink implements Sink {
        private final Spawn child;
        private OutputStream msg;
        private final OutputStream env;
        private final InputStream err;

        private ExecSink(Spawn child) {
            this.child = child;
            this.msg = child.to(0);
            this.env = child.to(1);
            this.err = child.from(6);
        }

        static ExecSink start(Path home, String prog, List<String> env) throws IOException {
            String path = prog.startsWith("/") ? prog : home.resolve(prog).toString();
            // fd 2 is shared and nothing else leaks into the child; qmail.c also runs it from
            // QMAILHOME. A null env inherits this process's environment.
            return new ExecSink(new Spawn(Nat.posix(), path, List.of(prog))
                    .pipeTo(0).pipeTo(1).inherit(2, 2).pipeFrom(6)
                    .env(env)
                    .cwd(home.toString())
                    .start());
        }

        @Override
        public void message(byte[] b, int off, int n) throws IOException {
            msg.write(b, off, n);
        }

        @Override
        public void flush() throws IOException {
            if (msg != null) {
                msg.flush();
            }
        }

        @Override
        public void endMessage() throws IOException {
            OutputStream m = msg;
            msg = null;
            m.close();
        }

        @Override
        public void envelope(byte[] rec) throws IOException {
            env.write(rec);
        }

        @Override
        public Result finish(boolean abandon, boolean clean) {
            closeQuietly(msg);
            closeQuietly(env);
            byte[] text = new byte[QueueProtocol.TEXT_MAX];
            int n = 0;
            try {
                int r;
                while (n < text.length && (r = err.read(text, n, text.length - n)) > 0) {
                    n += r;
                }
            } catch (IOException e) {
                // As qmail.c: the error channel is optional.
            }
            closeQuietly(err);
            try {
                WaitStatus ws = child.waitFor();
                return new Result(!ws.exited(), ws.exited() ? ws.exitCode() : 0, child.pid(),
                        java.util.Arrays.copyOf(text, n));
            } catch (IOException e) {
                return new Result(false, QueueExit.BUG, child.pid(), null);
            }
        }

        private static void closeQuietly(java.io.Closeable c) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException e) {
                    // Nothing to do: the exit code tells.
                }
            }
        }
    }
}
