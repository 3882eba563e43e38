package org.jqmail.queue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jqmail.control.QueueExit;
import org.jqmail.control.QueueProtocol;
import org.jqmail.io.SubstdioIn;

/**
 * One submission on qmail-queued's socket: reads the {@link QueueProtocol} framing, takes the
 * submitter's uid from the kernel, runs the queue sequence ({@link Enqueue}) and answers once
 * with qmail-queue's exit code and the recorded qp.
 *
 * <p>The answer is sent only after {@code todo/N} is linked, or after a failure; the trigger is
 * pulled right after a successful answer. If the deadline (qmail-queue's 24-hour alarm) passes first, {@link #expire} answers
 * 52 and closes the connection; the queue sequence then stops where it is without cleaning up,
 * as qmail-queue's SIGALRM handler does. Exactly one of the two answers is sent.
 *
 * <p>Framing errors (bad magic, a chunk length out of range, end of input inside the message)
 * count as unreadable input: exit 54.
 */
final class Submission implements Runnable {
    private static final int RUNNING = 0;
    private static final int ANSWERED = 1;
    private static final int EXPIRED = 2;
    /** As large as a client's chunk: a 100 KB message is read in a few reads. */
    private static final int IN_BUF = QueueProtocol.CHUNK_MAX;

    private final SocketChannel ch;
    private final Enqueue enqueue;
    private final Invokers invokers;
    private final PeerUid peer;
    private final LongSupplier qps;
    private final LongSupplier clock;
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private volatile long deadline;

    Submission(SocketChannel ch, Enqueue enqueue, Invokers invokers, PeerUid peer, LongSupplier qps,
               LongSupplier clock) {
        this.ch = ch;
        this.enqueue = enqueue;
        this.invokers = invokers;
        this.peer = peer;
        this.qps = qps;
        this.clock = clock;
    }

    @Override
    public void run() {
        int code;
        long qp = 0;
        try {
            long uid = peer.uid(ch);
            SubstdioIn in = new SubstdioIn(Channels.newInputStream(ch), IN_BUF);
            byte[] head = new byte[7];
            in.readFully(head, 0, head.length);
            if (!Arrays.equals(head, 0, 3, QueueProtocol.MAGIC, 0, 3)) {
                code = QueueExit.READ;
            } else {
                qp = QueueProtocol.be32(head, 3) & 0xffffffffL;
                if (qp == 0) {
                    qp = qps.getAsLong();
                }
                Enqueue.Job job = new Enqueue.Job(uid, qp, invokers.who(uid), clock.getAsLong());
                code = enqueue.insert(job, new Framed(in), in, () -> state.get() == EXPIRED);
            }
        } catch (PeerUid.Unknown e) {
            code = QueueExit.BUG;
        } catch (IOException e) {
            code = QueueExit.READ;
        }
        if (state.compareAndSet(RUNNING, ANSWERED)) {
            answer(code, code == QueueExit.OK ? qp : 0);
        }
        if (code == QueueExit.OK) {
            // After the answer: the submitter goes on while qmail-send wakes up.
            enqueue.pullTrigger();
        }
    }

    /** The {@link System#nanoTime} after which {@link #expire} is due (set by the server). */
    void deadline(long nanos) {
        deadline = nanos;
    }

    long deadline() {
        return deadline;
    }

    /** The deadline passed: answer 52 unless the answer is out already. */
    void expire() {
        if (state.compareAndSet(RUNNING, EXPIRED)) {
            answer(QueueExit.TIMEOUT, 0);
        }
    }

    /** Answers a connection the server will not take (too many submissions at once). */
    static void refuse(SocketChannel ch, int code) {
        write(ch, code, 0);
    }

    private void answer(int code, long qp) {
        write(ch, code, qp);
    }

    private static void write(SocketChannel ch, int code, long qp) {
        byte[] r = new byte[6];
        r[0] = (byte) code;
        QueueProtocol.be32(r, 1, (int) qp);
        r[5] = 0;
        try (SocketChannel c = ch) {
            ByteBuffer bb = ByteBuffer.wrap(r);
            while (bb.hasRemaining()) {
                c.write(bb);
            }
        } catch (IOException e) {
            // The submitter is gone; its exit code no longer matters to anyone.
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
