package org.jqmail.queue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jqmail.control.Date822;
import org.jqmail.control.Envelope;
import org.jqmail.control.QueueExit;
import org.jqmail.control.QueuePaths;
import org.jqmail.io.Bytes;
import org.jqmail.io.Fmt;
import org.jqmail.io.Fsync;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;

/**
 * One queue insertion, qmail-queue's sequence (doc/QUEUE.md §3): a pid file created exclusively,
 * renamed by hard link to {@code mess/S/N} where N is its inode number, the Received line and
 * the message written, {@code intd/N} written with the {@code u}, {@code p}, {@code F} and
 * {@code T} records, both fsynced, then {@code intd/N} linked to {@code todo/N}, and the
 * trigger pulled.
 *
 * <p>Two differences from qmail-queue's order, for speed and not visible to qmail-send:
 * qmail-queue creates intd after it has written and fsynced mess; here intd is created as soon
 * as mess exists (while the message is still arriving), and after both are written they are
 * fsynced at once ({@link Fsync}), so that the two disk waits overlap (one journal commit
 * instead of two where there is a journal). What makes a message queued is unchanged: {@code
 * todo/N} is linked only after both files are on disk, and nothing reads {@code intd/N} before
 * that; their relative order never mattered, since qmail-send sees neither until {@code
 * todo/N} exists. When two things fail, the exit code is still the one qmail-queue would give
 * (a failure to write or fsync mess comes before any intd or envelope error).
 *
 * <p>A third difference, also invisible in the queue: the pid file and {@code intd/N} may be
 * files that qmail-clean emptied and left in {@code queue/qspare/} ({@link Spares}) instead of
 * new ones; they are renamed into {@code pid/}, truncated and then linked exactly as new files.
 *
 * <p>Synopsis: {@link #run} with the submitter's uid, the qp to record, the start time, the
 * message bytes and the envelope stream. It returns qmail-queue's exit code (qmail-queue(8)): 0
 * once {@code todo/N} exists, else 11, 53, 54, 63, 64, 65, 66 or 91. On every failure after the
 * mess file exists the files made so far are truncated and unlinked, except when the
 * submission's deadline expired ({@code 52}: "thou shalt not clean up here", as qmail-queue's
 * SIGALRM handler).
 *
 * <p>Thread-safe: each call works on its own files. The queue directory must be the one the
 * other queue programs use (same {@code conf-split}).
 *
 * <p>See also: qmail-queue(8), {@code qmail-queue.c}, doc/QUEUE.md §3.
 */
final class Enqueue {
    /** Files qmail-queue makes are 0644 (umask 033 applied to 0644). */
    private static final FileAttribute<Set<PosixFilePermission>> MODE_0644 =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));
    /** qmail-queue's {@code pidopen} tries sequence numbers 1..9. */
    private static final int PID_TRIES = 9;
    /** The message is copied in pieces of this size (one write for most messages). */
    private static final int OUT_BUF = 64 * 1024;
    /** intd's buffer (qmail-queue's is 256 bytes): envelopes are small. */
    private static final int INTD_BUF = 4096;
    /**
     * Each thread's buffer for the message copy: submissions run on a few long-lived threads,
     * and a fresh 64 KB per message was most of qmail-queued's allocation.
     */
    private static final ThreadLocal<byte[]> MESS_BUF = ThreadLocal.withInitial(() -> new byte[OUT_BUF]);

    private final Path queue;
    private final QueuePaths paths;
    private final Trigger trigger;
    private final Spares spares;

    /** Where the message bytes come from: {@code read} returns -1 at the end of the message. */
    interface Message {
        int read(byte[] b, int off, int len) throws IOException;
    }

    /** Who submitted and how to number it. */
    record Job(long uid, long qp, byte[] who, long startTime) {
    }

    Enqueue(Path queue, int split, Trigger trigger) {
        this.queue = queue;
        this.paths = new QueuePaths(split);
        this.trigger = trigger;
        this.spares = new Spares(queue);
    }

    /** A failure with qmail-queue's exit code. */
    private static final class Die extends Exception {
        private static final long serialVersionUID = 1L;
        final QueueExit code;

        Die(QueueExit code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    /** The Received line qmail-queue puts first: {@code Received: (qmail QP invoked WHO); DATE}. */
    static byte[] received(long qp, byte[] who, long startTime) {
        return Bytes.concat(Bytes.ascii("Received: (qmail "), Fmt.ulong(qp), Bytes.ascii(" invoked "),
                who, Bytes.ascii("); "), Date822.fmt(startTime));
    }

    /**
     * Queues one message and pulls the trigger. {@code expired} turns true when the
     * submission's deadline passed; the queue is then left as it is (no cleanup, no link to
     * {@code todo}).
     */
    QueueExit run(Job job, Message msg, SubstdioIn env, BooleanSupplier expired) {
        QueueExit code = insert(job, msg, env, expired);
        if (code == QueueExit.OK) {
            pullTrigger();
        }
        return code;
    }

    /**
     * As {@link #run} without the trigger, so that a server can answer its client first and
     * then call {@link #pullTrigger}: the message is queued once {@code todo/N} is linked, and
     * qmail-send also scans {@code todo/} on its own, so the order only decides who gets the
     * CPU first (qmail-queue pulls the trigger and then exits, which is when its caller learns
     * the outcome).
     */
    QueueExit insert(Job job, Message msg, SubstdioIn env, BooleanSupplier expired) {
        Insertion files = null;
        try {
            files = new Insertion(job);
            // intd/N is made before the message arrives, so that the inode's creation is not
            // among the steps between the end of the message and the answer. Nothing reads
            // intd/ (qmail-send reads todo/), and a crash leaves what a crash of qmail-queue
            // after its step 7 leaves: mess and intd without todo, which qmail-send's cleanup
            // removes (doc/QUEUE.md §3). The exit codes keep qmail-queue's order: a failure to
            // write or fsync mess (53, 54) wins over the failure to create intd (65).
            QueueExit intd = files.createIntd();
            files.writeMess(job, msg);
            try {
                if (intd != QueueExit.OK) {
                    throw new Die(intd);
                }
                files.writeIntd(job, env);
            } catch (Die d) {
                // qmail-queue fsyncs mess before it creates intd: its failure wins.
                files.syncMess();
                throw d;
            }
            files.sync();
            if (expired.getAsBoolean()) {
                return QueueExit.TIMEOUT;
            }
            files.linkTodo();
            return QueueExit.OK;
        } catch (Die d) {
            if (files != null && !expired.getAsBoolean()) {
                files.cleanup();
            }
            return expired.getAsBoolean() ? QueueExit.TIMEOUT : d.code;
        } finally {
            if (files != null) {
                files.close();
            }
        }
    }

    /** qmail-queue's {@code triggerpull}, after a successful {@link #insert}. */
    void pullTrigger() {
        trigger.pull();
    }

    /** The files of one insertion and what has been made so far. */
    private final class Insertion {
        private final long messnum;
        private final Path mess;
        private final Path intd;
        private final Path todo;
        private final FileChannel messfd;
        private FileChannel intdfd;
        private boolean madeMess;
        private boolean madeIntd;
        private String stemForIntd;

        Insertion(Job job) throws Die {
            String stem = Long.toUnsignedString(job.qp()) + "." + Long.toUnsignedString(job.startTime());
            Path pidfn = null;
            long ino = -1;
            FileChannel fd = null;
            Spares.Taken t = spares.take(queue.resolve("pid"), stem);
            if (t != null) {
                pidfn = t.path();
                fd = t.fd();
                ino = t.ino();
            }
            for (int seq = 1; seq <= PID_TRIES && fd == null; seq++) {
                pidfn = queue.resolve("pid/" + stem + "." + seq);
                try {
                    fd = FileChannel.open(pidfn, Set.of(StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE), MODE_0644);
                } catch (IOException | UnsupportedOperationException e) {
                    fd = null;
                }
            }
            if (fd == null) {
                throw new Die(QueueExit.PID);
            }
            messfd = fd;
            if (ino < 0) {
                try {
                    ino = (Long) Files.getAttribute(pidfn, "unix:ino");
                } catch (IOException | RuntimeException e) {
                    closeQuietly(fd);
                    throw new Die(QueueExit.PID);
                }
            }
            messnum = ino;
            mess = queue.resolve(paths.mess(messnum));
            intd = queue.resolve(QueuePaths.intd(messnum));
            todo = queue.resolve(QueuePaths.todo(messnum));
            try {
                Files.createLink(mess, pidfn);
            } catch (IOException | RuntimeException e) {
                closeQuietly(fd);
                throw new Die(QueueExit.MESS);
            }
            try {
                Files.delete(pidfn);
            } catch (IOException e) {
                closeQuietly(fd);
                throw new Die(QueueExit.PID);
            }
            madeMess = true;
            stemForIntd = stem;
        }

        /** The Received line and the message, read straight into this thread's buffer. */
        void writeMess(Job job, Message msg) throws Die {
            byte[] b = MESS_BUF.get();
            byte[] rl = received(job.qp(), job.who(), job.startTime());
            System.arraycopy(rl, 0, b, 0, rl.length);
            int len = rl.length;
            try {
                for (;;) {
                    if (len == b.length) {
                        write(messfd, b, len);
                        len = 0;
                    }
                    int n;
                    try {
                        n = msg.read(b, len, b.length - len);
                    } catch (IOException e) {
                        throw new Die(QueueExit.READ);
                    }
                    if (n < 0) {
                        break;
                    }
                    len += n;
                }
                write(messfd, b, len);
            } catch (IOException e) {
                throw new Die(QueueExit.WRITE);
            }
        }

        /** fsync of the mess file alone (exit 53 if it fails). */
        void syncMess() throws Die {
            if (Fsync.forceAll(messfd)[0] != null) {
                throw new Die(QueueExit.WRITE);
            }
        }

        /**
         * fsync of mess and intd at once, so that both cost one journal commit; either failing
         * is qmail-queue's write error, 53. Only after both does {@link #linkTodo} run.
         */
        void sync() throws Die {
            for (IOException e : Fsync.forceAll(messfd, intdfd)) {
                if (e != null) {
                    throw new Die(QueueExit.WRITE);
                }
            }
        }

        /** Makes intd/N exclusively, from a spare or new; returns OK, or INTD (65) if it cannot. */
        QueueExit createIntd() {
            intdfd = recycledIntd();
            if (intdfd == null) {
                try {
                    intdfd = FileChannel.open(intd, Set.of(StandardOpenOption.CREATE_NEW,
                            StandardOpenOption.WRITE), MODE_0644);
                } catch (IOException | UnsupportedOperationException e) {
                    return QueueExit.INTD;
                }
            }
            madeIntd = true;
            return QueueExit.OK;
        }

        /** Writes the envelope into intd/N (made by {@link #createIntd}). */
        void writeIntd(Job job, SubstdioIn env) throws Die {
            SubstdioOut out = new SubstdioOut(new ChannelOut(intdfd), INTD_BUF);
            try {
                out.put('u').put(Fmt.ulong(job.uid())).put(0);
                out.put('p').put(Fmt.ulong(job.qp())).put(0);
                Envelope.read(env, (type, addr) -> out.put(type).put(addr).put(0));
                out.flush();
            } catch (Envelope.BadEnvelope e) {
                switch (e.problem()) {
                    case FORMAT: throw new Die(QueueExit.ENVELOPE);
                    case TOO_LONG: throw new Die(QueueExit.ADDR_TOO_LONG);
                    default: throw new Die(QueueExit.READ);
                }
            } catch (ChannelError e) {
                throw new Die(QueueExit.WRITE);
            } catch (IOException e) {
                throw new Die(QueueExit.READ);
            }
        }

        /**
         * A spare as {@code intd/N}: linked exclusively (as qmail-queue's open with
         * {@code O_EXCL}), then its pid name removed; null when there is no spare or this
         * fails, and the caller creates {@code intd/N} as qmail-queue does.
         */
        private FileChannel recycledIntd() {
            Spares.Taken t = spares.take(queue.resolve("pid"), stemForIntd);
            if (t == null) {
                return null;
            }
            try {
                Files.createLink(intd, t.path());
            } catch (IOException | RuntimeException e) {
                closeQuietly(t.fd());
                deleteQuietly(t.path());
                return null;
            }
            deleteQuietly(t.path());
            return t.fd();
        }

        void linkTodo() throws Die {
            try {
                Files.createLink(todo, intd);
            } catch (IOException | RuntimeException e) {
                throw new Die(QueueExit.TODO);
            }
        }

        /** qmail-queue's {@code cleanup()}: truncate and unlink intd, then mess. */
        void cleanup() {
            if (madeIntd) {
                try {
                    intdfd.truncate(0);
                } catch (IOException e) {
                    // As seek_trunc's result, ignored.
                }
                try {
                    Files.delete(intd);
                } catch (IOException e) {
                    return;
                }
            }
            if (madeMess) {
                try {
                    messfd.truncate(0);
                } catch (IOException e) {
                    // Ignored, as in qmail-queue.
                }
                try {
                    Files.delete(mess);
                } catch (IOException e) {
                    return;
                }
            }
        }

        void close() {
            closeQuietly(messfd);
            closeQuietly(intdfd);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // Left in pid/: qmail-clean removes it after 36 hours.
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // The data is fsynced already, or the submission failed anyway.
            }
        }
    }

    private static void write(FileChannel ch, byte[] b, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, 0, len);
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }

    /** Marks failures of the queue file itself, so they map to 53 rather than 54. */
    private static final class ChannelError extends IOException {
        private static final long serialVersionUID = 1L;

        ChannelError(IOException cause) {
            super(cause);
        }
    }

    /** An unbuffered stream onto a file channel (SubstdioOut does the buffering). */
    private static final class ChannelOut extends OutputStream {
        private final FileChannel ch;

        ChannelOut(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            try {
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            } catch (IOException e) {
                throw new ChannelError(e);
            }
        }
    }
}
