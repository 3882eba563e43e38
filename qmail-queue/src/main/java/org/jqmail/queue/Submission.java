package org.jqmail.queue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jqmail.control.QueueExit;
import org.jqmail.control.QueueProtocol;
import org.jqmail.io.SubstdioIn;

/**
 * One connection on qmail-queued's socket: reads the {@link QueueProtocol} framing, runs the
 * queue sequence ({@link Enqueue}) for the submitter the kernel named ({@link PeerCred}) and
 * answers each submission once with qmail-queue's exit code and the recorded qp. A {@code QQ1}
 * submission is the connection's only one; after a {@code QQ2} submission answered 0 the
 * connection stays open for the next magic (end of input: the client is done). Every other
 * answer closes the connection.
 *
 * <p>The qp recorded (the {@code p} record, the Received line's "qmail QP invoked") is the
 * pid of the submitting process as the kernel gives it; the number in the header is never
 * recorded. Only a trusted account ({@link Admission#trusted}: root, alias, qmaild, qmails)
 * that sends qp 0 gets a number from the server's counter instead, for a long-lived process
 * that submits many messages over one pid (the SMTP listener, qmail-send's bounces); so does a
 * submitter whose pid the kernel does not tell.
 *
 * <p>The answer is sent only after {@code todo/N} is linked, or after a failure; the trigger is
 * pulled right after a successful answer. Deadlines ({@link Deadlines}), watched by the
 * server's watchdog thread, which never blocks on a connection: the header must be complete
 * within the start deadline (from the accept for the connection's first submission, from the
 * first byte of the magic for later ones); a submission of an ordinary account fails once no
 * byte has arrived for the stall time; every submission ends at qmail-queue's 24-hour alarm
 * (counted like the start). A submission past a deadline has its input shut, so that its
 * thread stops reading, and is answered 52; the queue sequence stops where it is without
 * cleaning up, as qmail-queue's SIGALRM handler does. Exactly one answer is sent per
 * submission; an answer the client does not read within the grace time closes the connection.
 * Between submissions the connection is not a submission: it is closed once it has been idle
 * for the idle time (the client then sees end of input before it sends anything).
 *
 * <p>Framing errors (bad magic, a chunk length out of range, end of input inside the message)
 * count as unreadable input: exit 54.
 */
final class Submission implements Runnable {
    /** What the watchdog looks at: a submission in progress or a connection idle between two. */
    interface Timed {
        /** True if {@link #expire} is due at {@link System#nanoTime} {@code now}. */
        boolean due(long now);

        /** Acts on a passed deadline; never blocks. */
        void expire(long now);
    }

    /** A connection's time limits, in nanoseconds; a stall of 0 means none. */
    record Deadlines(long start, long stall, long total, long idle, long grace) {
    }

    /** As large as a client's chunk: a 100 KB message is read in a few reads. */
    private static final int IN_BUF = QueueProtocol.CHUNK_MAX;

    private final SocketChannel ch;
    private final Enqueue enqueue;
    private final Invokers invokers;
    private final PeerCred.Cred cred;
    private final boolean trusted;
    private final LongSupplier qps;
    private final LongSupplier clock;
    private final Set<Timed> watched;
    private final Deadlines limits;
    /** When a read last brought bytes (System.nanoTime). */
    private volatile long lastRead;

    /**
     * @param cred    the submitter, from the kernel
     * @param trusted whether {@code cred}'s uid is one of the system's own submitters
     * @param watched where the submission in progress (or the idle wait) is registered for
     *                the watchdog while it lasts
     */
    Submission(SocketChannel ch, Enqueue enqueue, Invokers invokers, PeerCred.Cred cred, boolean trusted,
               LongSupplier qps, LongSupplier clock, Set<Timed> watched, Deadlines limits) {
        this.ch = ch;
        this.enqueue = enqueue;
        this.invokers = invokers;
        this.cred = cred;
        this.trusted = trusted;
        this.qps = qps;
        this.clock = clock;
        this.watched = watched;
        this.limits = limits;
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        lastRead = now;
        One first = new One(now);
        watched.add(first);
        byte[] who = invokers.who(cred.uid());
        SubstdioIn in = new SubstdioIn(new Progress(Channels.newInputStream(ch)), IN_BUF);
        byte[] head = new byte[QueueProtocol.HEADER_LEN];
        One s = first;
        for (;;) {
            if (!s.submit(who, in, head, s == first)) {
                return;
            }
            Idle idle = new Idle(System.nanoTime());
            watched.add(idle);
            int c;
            try {
                c = in.get();
            } catch (IOException e) {
                c = -1;
            }
            watched.remove(idle);
            if (c < 0 || !idle.woke()) {
                close(ch);
                return;
            }
            head[0] = (byte) c;
            s = new One(System.nanoTime());
            watched.add(s);
        }
    }

    /** The qp to record for a submission whose header asked for {@code asked}. */
    private long qp(long asked) {
        if (cred.pid() == 0 || asked == 0 && trusted) {
            return qps.getAsLong();
        }
        return cred.pid();
    }

    /** The connection's input, noting when bytes arrive (the stall deadline's clock). */
    private final class Progress extends InputStream {
        private final InputStream in;

        Progress(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                lastRead = System.nanoTime();
            }
            return n;
        }
    }

    /** One submission on the connection, from its magic to its answer. */
    private final class One implements Timed {
        private static final int RUNNING = 0;
        private static final int ANSWERING = 1;
        private static final int EXPIRED = 2;
        private static final int CLOSED = 3;

        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private final long started;
        private volatile boolean headed;
        /** When the grace time of an answer being written or of an expiry began. */
        private volatile long graceFrom;

        One(long started) {
            this.started = started;
        }

        /**
         * Reads and queues the submission; {@code head[0]} holds the magic's first byte unless
         * this is the connection's {@code first}. True if the connection stays open for another.
         */
        boolean submit(byte[] who, SubstdioIn in, byte[] head, boolean first) {
            QueueExit code;
            long qp = 0;
            boolean again = false;
            try {
                int from = first ? 0 : 1;
                in.readFully(head, from, QueueProtocol.HEADER_LEN - from);
                headed = true;
                QueueProtocol.Magic magic = QueueProtocol.magic(head);
                again = magic == QueueProtocol.Magic.MANY;
                if (magic == null) {
                    code = QueueExit.READ;
                } else {
                    qp = qp(QueueProtocol.qp(head));
                    Enqueue.Job job = new Enqueue.Job(cred.uid(), qp, who, clock.getAsLong());
                    code = enqueue.insert(job, new Framed(in), in, () -> state.get() >= EXPIRED);
                }
            } catch (IOException e) {
                code = QueueExit.READ;
            }
            return finish(code, qp, again && code == QueueExit.OK);
        }

        /**
         * Answers (52 if the watchdog expired the submission meanwhile); true if the
         * connection was kept open.
         */
        boolean finish(QueueExit code, long qp, boolean keep) {
            boolean kept;
            graceFrom = System.nanoTime();
            if (state.compareAndSet(RUNNING, ANSWERING)) {
                kept = write(ch, code, code == QueueExit.OK ? qp : 0, keep);
            } else {
                code = QueueExit.TIMEOUT;
                kept = write(ch, code, 0, false);
            }
            watched.remove(this);
            if (code == QueueExit.OK) {
                // After the answer: the submitter goes on while qmail-send wakes up.
                enqueue.pullTrigger();
            }
            return kept;
        }

        @Override
        public boolean due(long now) {
            switch (state.get()) {
                case RUNNING:
                    if (now - started >= limits.total()) {
                        return true;
                    }
                    if (!headed) {
                        return now - started >= limits.start();
                    }
                    return !trusted && limits.stall() > 0 && now - lastRead >= limits.stall();
                case ANSWERING:
                case EXPIRED:
                    return now - graceFrom >= limits.grace();
                default:
                    return false;
            }
        }

        /**
         * A running submission past a deadline: its input is shut, so that its thread stops
         * reading and answers 52. An answer or expiry past its grace time: the connection is
         * closed, which ends a write the client does not read.
         */
        @Override
        public void expire(long now) {
            if (state.compareAndSet(RUNNING, EXPIRED)) {
                graceFrom = now;
                try {
                    ch.shutdownInput();
                } catch (IOException e) {
                    close(ch);
                }
            } else if (state.compareAndSet(ANSWERING, CLOSED) || state.compareAndSet(EXPIRED, CLOSED)) {
                close(ch);
            }
        }
    }

    /** The connection waiting for its next submission. */
    private final class Idle implements Timed {
        private static final int WAITING = 0;
        private static final int WOKE = 1;
        private static final int CLOSED = 2;

        private final AtomicInteger state = new AtomicInteger(WAITING);
        private final long since;

        Idle(long since) {
            this.since = since;
        }

        /** True if the next submission started before the watchdog closed the connection. */
        boolean woke() {
            return state.compareAndSet(WAITING, WOKE);
        }

        @Override
        public boolean due(long now) {
            return state.get() == WAITING && now - since >= limits.idle();
        }

        @Override
        public void expire(long now) {
            if (state.compareAndSet(WAITING, CLOSED)) {
                close(ch);
            }
        }
    }

    /** Answers a connection the server will not take (too many submissions at once). */
    static void refuse(SocketChannel ch, QueueExit code) {
        write(ch, code, 0, false);
    }

    /** Writes an answer and closes the connection unless {@code keep}; true if kept open. */
    private static boolean write(SocketChannel ch, QueueExit code, long qp, boolean keep) {
        byte[] r = QueueProtocol.answer(code.code(), qp);
        try {
            ByteBuffer bb = ByteBuffer.wrap(r);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        } catch (IOException e) {
            // The submitter is gone; its exit code no longer matters to anyone.
            keep = false;
        }
        if (!keep) {
            close(ch);
        }
        return keep;
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Nothing left to tell anyone.
        }
    }

    /** The message as it arrives in chunks ({@link QueueProtocol.Chunks}). */
    static final class Framed implements Enqueue.Message {
        private final QueueProtocol.Chunks chunks;

        Framed(SubstdioIn in) {
            this.chunks = new QueueProtocol.Chunks(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return chunks.read(b, off, len);
        }
    }
}
