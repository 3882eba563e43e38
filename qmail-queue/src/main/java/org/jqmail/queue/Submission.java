package org.jqmail.queue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jqmail.control.QueueExit;
import org.jqmail.control.QueueProtocol;
import org.jqmail.io.SubstdioIn;

/**
 * One connection on qmail-queued's socket: reads the {@link QueueProtocol} framing, takes the
 * submitter's uid from the kernel (once: it cannot change on a connection), runs the queue
 * sequence ({@link Enqueue}) and answers each submission once with qmail-queue's exit code and
 * the recorded qp. A {@code QQ1} submission is the connection's only one; after a {@code QQ2}
 * submission answered 0 the connection stays open for the next magic (end of input: the client
 * is done). Every other answer closes the connection.
 *
 * <p>The answer is sent only after {@code todo/N} is linked, or after a failure; the trigger is
 * pulled right after a successful answer. If a submission's deadline (qmail-queue's 24-hour
 * alarm, counted from the connection's accept for the first submission and from the first byte
 * of its magic for later ones) passes first, the watchdog answers 52 and closes the
 * connection; the queue sequence then stops where it is without cleaning up, as qmail-queue's
 * SIGALRM handler does. Exactly one of the two answers is sent. Between submissions the
 * connection is not a submission: no deadline applies, but the watchdog closes it once it has
 * been idle for {@code idleNanos} (the client then sees end of input before it sends anything).
 *
 * <p>Framing errors (bad magic, a chunk length out of range, end of input inside the message)
 * count as unreadable input: exit 54.
 */
final class Submission implements Runnable {
    /** What the watchdog looks at: a submission in progress or a connection idle between two. */
    interface Timed {
        /** The {@link System#nanoTime} after which {@link #expire} is due. */
        long deadline();

        void expire();
    }

    /** As large as a client's chunk: a 100 KB message is read in a few reads. */
    private static final int IN_BUF = QueueProtocol.CHUNK_MAX;

    private final SocketChannel ch;
    private final Enqueue enqueue;
    private final Invokers invokers;
    private final PeerUid peer;
    private final LongSupplier qps;
    private final LongSupplier clock;
    private final Set<Timed> watched;
    private final long deadlineNanos;
    private final long idleNanos;

    /**
     * @param watched       where the submission in progress (or the idle wait) is registered
     *                      for the watchdog while it lasts
     * @param deadlineNanos a submission's deadline, from its start
     * @param idleNanos     how long the connection may wait idle between submissions
     */
    Submission(SocketChannel ch, Enqueue enqueue, Invokers invokers, PeerUid peer, LongSupplier qps,
               LongSupplier clock, Set<Timed> watched, long deadlineNanos, long idleNanos) {
        this.ch = ch;
        this.enqueue = enqueue;
        this.invokers = invokers;
        this.peer = peer;
        this.qps = qps;
        this.clock = clock;
        this.watched = watched;
        this.deadlineNanos = deadlineNanos;
        this.idleNanos = idleNanos;
    }

    @Override
    public void run() {
        One first = new One(System.nanoTime() + deadlineNanos);
        watched.add(first);
        long uid;
        byte[] who;
        try {
            uid = peer.uid(ch);
            who = invokers.who(uid);
        } catch (PeerUid.Unknown e) {
            first.finish(QueueExit.BUG, 0, false);
            return;
        } catch (IOException e) {
            first.finish(QueueExit.READ, 0, false);
            return;
        }
        SubstdioIn in = new SubstdioIn(Channels.newInputStream(ch), IN_BUF);
        byte[] head = new byte[7];
        One s = first;
        for (;;) {
            if (!s.submit(uid, who, in, head, s == first)) {
                return;
            }
            Idle idle = new Idle(System.nanoTime() + idleNanos);
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
            s = new One(System.nanoTime() + deadlineNanos);
            watched.add(s);
        }
    }

    /** One submission on the connection, from its magic to its answer. */
    private final class One implements Timed {
        private static final int RUNNING = 0;
        private static final int ANSWERED = 1;
        private static final int EXPIRED = 2;

        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private final long deadline;

        One(long deadline) {
            this.deadline = deadline;
        }

        /**
         * Reads and queues the submission; {@code head[0]} holds the magic's first byte unless
         * this is the connection's {@code first}. True if the connection stays open for another.
         */
        boolean submit(long uid, byte[] who, SubstdioIn in, byte[] head, boolean first) {
            int code;
            long qp = 0;
            boolean again = false;
            try {
                in.readFully(head, first ? 0 : 1, first ? 7 : 6);
                again = Arrays.equals(head, 0, 3, QueueProtocol.MAGIC_MANY, 0, 3);
                if (!again && !Arrays.equals(head, 0, 3, QueueProtocol.MAGIC, 0, 3)) {
                    code = QueueExit.READ;
                } else {
                    qp = QueueProtocol.be32(head, 3) & 0xffffffffL;
                    if (qp == 0) {
                        qp = qps.getAsLong();
                    }
                    Enqueue.Job job = new Enqueue.Job(uid, qp, who, clock.getAsLong());
                    code = enqueue.insert(job, new Framed(in), in, () -> state.get() == EXPIRED);
                }
            } catch (IOException e) {
                code = QueueExit.READ;
            }
            return finish(code, qp, again && code == QueueExit.OK);
        }

        /** Answers unless the watchdog did; true if the connection was kept open. */
        boolean finish(int code, long qp, boolean keep) {
            boolean kept = false;
            if (state.compareAndSet(RUNNING, ANSWERED)) {
                watched.remove(this);
                kept = write(ch, code, code == QueueExit.OK ? qp : 0, keep);
            } else {
                watched.remove(this);
            }
            if (code == QueueExit.OK) {
                // After the answer: the submitter goes on while qmail-send wakes up.
                enqueue.pullTrigger();
            }
            return kept;
        }

        @Override
        public long deadline() {
            return deadline;
        }

        /** The deadline passed: answer 52 unless the answer is out already. */
        @Override
        public void expire() {
            if (state.compareAndSet(RUNNING, EXPIRED)) {
                write(ch, QueueExit.TIMEOUT, 0, false);
            }
        }
    }

    /** The connection waiting for its next submission. */
    private final class Idle implements Timed {
        private static final int WAITING = 0;
        private static final int WOKE = 1;
        private static final int CLOSED = 2;

        private final AtomicInteger state = new AtomicInteger(WAITING);
        private final long deadline;

        Idle(long deadline) {
            this.deadline = deadline;
        }

        /** True if the next submission started before the watchdog closed the connection. */
        boolean woke() {
            return state.compareAndSet(WAITING, WOKE);
        }

        @Override
        public long deadline() {
            return deadline;
        }

        @Override
        public void expire() {
            if (state.compareAndSet(WAITING, CLOSED)) {
                close(ch);
            }
        }
    }

    /** Answers a connection the server will not take (too many submissions at once). */
    static void refuse(SocketChannel ch, int code) {
        write(ch, code, 0, false);
    }

    /** Writes an answer and closes the connection unless {@code keep}; true if kept open. */
    private static boolean write(SocketChannel ch, int code, long qp, boolean keep) {
        byte[] r = new byte[6];
        r[0] = (byte) code;
        QueueProtocol.be32(r, 1, (int) qp);
        r[5] = 0;
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

    /** The message as chunks: {len (4 bytes BE, 1..CHUNK_MAX); bytes}*, then a zero length. */
    static final class Framed implements Enqueue.Message {
        private final SubstdioIn in;
        private final byte[] hdr = new byte[4];
        private int left;
        private boolean done;

        Framed(SubstdioIn in) {
            this.in = in;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                in.readFully(hdr, 0, 4);
                int n = QueueProtocol.be32(hdr, 0);
                if (n == 0) {
                    done = true;
                    return -1;
                }
                if (n < 0 || n > QueueProtocol.CHUNK_MAX) {
                    throw new IOException("bad chunk length");
                }
                left = n;
            }
            int r = in.read(b, off, Math.min(len, left));
            if (r < 0) {
                throw new EOFException();
            }
            left -= r;
            return r;
        }
    }
}
