package org.jqmail.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import org.jqmail.control.TempFail;
import org.jqmail.io.Errors;

/**
 * mbox delivery (mbox(5)), qmail-local's {@code mailfile}: open for append (created 0600),
 * lock, remember the end, write the From_ line, Return-Path, Delivered-To, the message with
 * mboxrd quoting ({@link MboxQuoter}) and a blank line, flush, fsync. On a read or write error
 * the file is truncated back to where it ended, if it was locked, and the delivery fails
 * (111).
 *
 * <p><b>Locking: fcntl, not flock.</b> qmail-local takes {@code flock(fd, LOCK_EX)} (BSD lock)
 * under a 30-second alarm. A lean JVM cannot call flock without native code
 * (doc/ARCHITECTURE.md §2), and {@link FileChannel#tryLock()} takes a POSIX {@code fcntl} record
 * lock over the whole file. We take the fcntl lock, polling with {@code tryLock} for up to 30
 * seconds ({@code File has been locked for 30 seconds straight.}); any other locking error means
 * "deliver unlocked", as in qmail. Consequences, deliberately accepted:
 * <ul>
 * <li>This is the kernel lock Debian's mail readers take (mutt and Dovecot lock mboxes with
 * fcntl plus a dotlock by default), and the one qmail itself takes when built without flock ({@code lock_ex} is
 * {@code lockf(fd,1,0)}, an fcntl lock, on such systems). It also works over NFS, where Linux
 * emulates flock with fcntl anyway.</li>
 * <li>On local Linux file systems flock and fcntl locks do not see each other: a C qmail-local
 * or another flock-only program appending to the same mbox at the same moment is not excluded.
 * Swapping qmail-local for the C original is unaffected; running both against one mbox at once
 * is not supported.</li>
 * </ul>
 * A clean flock without native code would need a helper process holding the lock
 * ({@code flock(1)}) for every delivery, which costs more than the delivery.
 *
 * <p>See also: mbox(5), {@code qmail-local.c}, {@code lock_ex.c}, {@code gfrom.c}.
 */
final class Mbox {
    static final long LOCK_TIMEOUT_MILLIS = 30_000;
    static final long LOCK_POLL_MILLIS = 50;
    private static final int BUF = 8192;
    private static final FileAttribute<?> PERMS =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Sys sys;

    Mbox(Sys sys) {
        this.sys = sys;
    }

    /** Appends the message to the mbox {@code fn} ({@code path} is {@code fn} from the home). */
    void deliver(byte[] fn, Path path, Message msg, byte[] ufline, byte[] rpline, byte[] dtline)
            throws TempFail {
        InputStream in;
        try {
            in = msg.rewind();
        } catch (IOException e) {
            throw Trouble.rewind();
        }
        FileChannel ch = open(fn, path);
        try {
            boolean locked = lock(ch);
            long pos;
            try {
                pos = ch.size();
            } catch (IOException e) {
                throw Trouble.mboxWrite(fn, e);
            }
            Sink out = new Sink(ch);
            try {
                out.put(ufline);
                out.put(rpline);
                out.put(dtline);
                MboxQuoter.copy(in, out);
                out.flush();
                ch.force(true);
            } catch (MboxQuoter.ReadError e) {
                truncate(ch, locked, pos);
                throw Trouble.read(e.getCause());
            } catch (IOException e) {
                truncate(ch, locked, pos);
                throw Trouble.mboxWrite(fn, e);
            }
        } finally {
            try {
                ch.close(); // closing releases the lock
            } catch (IOException e) {
                // qmail ignores close() here too.
            }
        }
    }

    /** {@code open_append}: O_WRONLY|O_APPEND|O_CREAT, 0600. */
    private static FileChannel open(byte[] fn, Path path) throws TempFail {
        try {
            if (Stat.isFifo(Stat.mode(path))) {
                // qmail opens with O_NDELAY, which fails for a FIFO without a reader; the JDK
                // would block instead.
                throw new Errors.ErrnoException("open", Errors.ENXIO);
            }
        } catch (IOException e) {
            if (Errors.errno(e) != Errors.ENOENT) {
                throw Trouble.mboxOpen(fn, e);
            }
        }
        try {
            return FileChannel.open(path, EnumSet.of(StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND, StandardOpenOption.CREATE), PERMS);
        } catch (IOException e) {
            throw Trouble.mboxOpen(fn, e);
        }
    }

    /** True if the exclusive lock was taken; false to continue unlocked. */
    private boolean lock(FileChannel ch) throws TempFail {
        long deadline = sys.millis() + LOCK_TIMEOUT_MILLIS;
        for (;;) {
            try {
                FileLock l = ch.tryLock();
                if (l != null) {
                    return true;
                }
            } catch (OverlappingFileLockException e) {
                // Held by this very JVM through another channel: as busy as any other holder.
            } catch (IOException e) {
                return false;
            }
            if (sys.millis() >= deadline) {
                throw Trouble.slowLock();
            }
            try {
                sys.sleep(LOCK_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Trouble.slowLock();
            }
        }
    }

    private static void truncate(FileChannel ch, boolean locked, long pos) {
        if (!locked) {
            return;
        }
        try {
            ch.truncate(pos);
        } catch (IOException e) {
            // Nothing more can be done: the failure is reported anyway.
        }
    }

    /** A write buffer over the channel, {@code substdio} style. */
    static final class Sink implements MboxQuoter.Out {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUF);

        Sink(FileChannel ch) {
            this.ch = ch;
        }

        void put(byte[] b) throws IOException {
            put(b, 0, b.length);
        }

        @Override
        public void put(byte[] b, int off, int n) throws IOException {
            while (n > 0) {
                if (!buf.hasRemaining()) {
                    flush();
                }
                int k = Math.min(n, buf.remaining());
                buf.put(b, off, k);
                off += k;
                n -= k;
            }
        }

        void flush() throws IOException {
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }
    }
}
