package org.jqmail.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The qmail-queue client library, qmail's {@code qmail.c} (doc/PROTOCOLS.md §1.2): every program
 * that queues mail writes the message with {@link #put}, the envelope with {@link #from} and
 * {@link #to}, and gets qmail's status string from {@link #close}.
 *
 * <p>By default it talks to qmail-queued over its Unix-domain socket ({@link QueueSocket},
 * framed by {@link QueueProtocol}); the server learns the submitter's uid from the kernel. If
 * the environment variable {@code QMAILQUEUE} is set, it instead runs that program from
 * QMAILHOME with the message on fd 0, the envelope on fd 1 and the error channel on fd 6,
 * exactly as qmail does ({@link QueueExec}); only that path loads native code. So does a
 * mini-qmail ({@link Auto#mini}), whose {@code bin/qmail-queue} is qmail-qmqpc.
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

    /** A mini-qmail's queue (doc/QMTP.md §5): qmail-qmqpc, run as qmail runs qmail-queue. */
    static final String MINI_QUEUE = "bin/qmail-queue";

    private final QueueSink sink;
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

    private QueueClient(QueueSink sink) {
        this(sink, null);
    }

    private QueueClient(QueueSink sink, java.util.function.LongSupplier clock) {
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
            return new QueueClient(QueueExec.start(auto.home(), qq, null));
        }
        if (auto.mini()) {
            return new QueueClient(QueueExec.start(auto.home(), MINI_QUEUE, null));
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
            return new QueueClient(QueueExec.start(auto.home(), qq, e));
        }
        if (auto.mini()) {
            return open(auto);
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
     * connections, or on a new one for {@code pool} when none is left.
     */
    public static QueueClient open(QueueConnections pool) throws IOException {
        return new QueueClient(QueueSocket.pooled(pool));
    }

    /**
     * Starts a submission over qmail-queued's socket, asking it to record {@code qp} (0: the
     * server numbers the submission). Used directly by the {@code bin/qmail-queue} client,
     * which must never re-route through {@code QMAILQUEUE}.
     */
    public static QueueClient openSocket(Path socket, long qp) throws IOException {
        return new QueueClient(QueueSocket.connect(socket, qp));
    }

    /** As {@link #openSocket(Path, long)} with the trickle clock {@code clock} (tests). */
    static QueueClient openSocket(Path socket, long qp, java.util.function.LongSupplier clock) throws IOException {
        return new QueueClient(QueueSocket.connect(socket, qp), clock);
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
        try {
            sink.envelope(Envelope.record(type, addr));
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
                sink.envelope(Envelope.END);
            } catch (IOException e) {
                writeError = true;
            }
        }
        // After a write error the server may still have said why (disk full, say): read it.
        QueueSink.Result r = sink.finish(failed && !writeError, !failed && !writeError);
        qp = r.qp();
        exitCode = r.code();
        text = r.text();
        status = QueueExit.status(r.crashed(), r.code(), writeError, text, text == null ? 0 : text.length);
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
}
