package org.jqmail.remote;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The timeout table file {@code QMAILHOME/queue/lock/tcpto} and its lock.
 *
 * <p>Locking, and why it differs from qmail: qmail's {@code tcpto.c}, {@code qmail-tcpto} and
 * {@code qmail-tcpok} take an exclusive {@code flock(2)} on a write descriptor. The JDK cannot
 * call {@code flock} without native code, and the standalone {@code bin/qmail-remote} must not
 * load any (doc/ARCHITECTURE.md §2). So every jqmail user of the table — qmail-remote run
 * standalone, qmail-rspawn's in-process deliveries, qmail-tcpto, qmail-tcpok — takes the same lock:
 * a POSIX record lock on the whole file through {@link FileChannel#lock()}
 * ({@code fcntl F_SETLKW}), plus a JVM-wide mutex, because record locks belong to the process and
 * the JDK refuses overlapping locks within one JVM. Our programs therefore exclude each other,
 * across processes and across qmail-rspawn's delivery threads.
 *
 * <p>Programs that may load native code — qmail-rspawn, qmail-tcpto, qmail-tcpok — also take
 * qmail's own {@code flock} first (a {@link Flock}, see {@link NativeFlock}), so they exclude
 * the C programs too. Lock order is always flock, then the JVM mutex, then the record lock.
 *
 * <p>Interop consequence: on Linux {@code flock} and {@code fcntl} locks do not see each other,
 * so only one pair is not excluded: our standalone {@code bin/qmail-remote} (record lock only)
 * and a C qmail-remote, qmail-tcpto or qmail-tcpok (flock only) running at the same moment.
 * The table is advisory and every change rewrites one 16-byte record with a single positioned
 * write, so the worst case is a lost update: a count one too low (one more connection attempt
 * to a dead host) or a clear that races with a new timeout. Nothing else is affected.
 * {@link #clean()} (qmail-rspawn's start-up reset) takes no lock, as in qmail.
 *
 * <p>See also: {@code tcpto.c}, {@code tcpto_clean.c}, {@code qmail-tcpto.c}, {@code qmail-tcpok.c}.
 */
public final class TcptoFile implements Tcpto.Store {
    private static final ReentrantLock JVM_LOCK = new ReentrantLock();

    /** The stage at which a tool's access failed. */
    public enum Stage { OPEN, LOCK, READ, WRITE }

    /** A failed tool access: the stage and the underlying error. */
    public static final class Failed extends IOException {
        private static final long serialVersionUID = 1L;
        private final Stage stage;

        Failed(Stage stage, IOException cause) {
            super(stage + ": " + cause.getMessage(), cause);
            this.stage = stage;
        }

        public Stage stage() {
            return stage;
        }
    }

    /** qmail's {@code flock} on the table, for programs that may use native code. */
    public interface Flock {
        /** Takes an exclusive flock on {@code path}; the result releases it. */
        Held lock(Path path) throws IOException;

        /** A held flock. */
        interface Held {
            void release();
        }
    }

    private final Path path;
    private final Flock flock;
    private FileChannel wr;
    private Flock.Held held;

    /** The table at {@code QMAILHOME/queue/lock/tcpto}, locked with record locks only. */
    public static TcptoFile forHome(Path home) {
        return forHome(home, null);
    }

    /** The table at {@code QMAILHOME/queue/lock/tcpto}, also flocked if {@code flock} is not null. */
    public static TcptoFile forHome(Path home, Flock flock) {
        return new TcptoFile(home.resolve("queue").resolve("lock").resolve("tcpto"), flock);
    }

    public TcptoFile(Path path) {
        this(path, null);
    }

    public TcptoFile(Path path, Flock flock) {
        this.path = path;
        this.flock = flock;
    }

    public Path path() {
        return path;
    }

    @Override
    public int lockAndRead(byte[] buf) {
        try {
            return readLocked(buf);
        } catch (Failed e) {
            return -1;
        }
    }

    /**
     * Locks and reads; on success the lock is held until {@link #release}. On failure nothing
     * is held and the exception names the stage (qmail-tcpto's messages).
     *
     * <p>qmail opens a write descriptor for the lock and a second one for reading. Here one
     * read-write channel does both: closing any descriptor of a file drops the process's
     * record locks on it, so a separate read channel could not be closed while locked.
     */
    public int readLocked(byte[] buf) throws Failed {
        Flock.Held f = flock(Stage.OPEN);
        JVM_LOCK.lock();
        boolean ok = false;
        try {
            try {
                wr = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new Failed(Stage.OPEN, e);
            }
            lock(wr);
            held = f;
            int n = read(wr, buf);
            ok = true;
            return n;
        } finally {
            if (!ok) {
                closeWr();
                JVM_LOCK.unlock();
                if (f != null) {
                    f.release();
                }
            }
        }
    }

    /** The flock, if this table takes one; a failure is reported as {@code stage}. */
    private Flock.Held flock(Stage stage) throws Failed {
        if (flock == null) {
            return null;
        }
        try {
            return flock.lock(path);
        } catch (Failed e) {
            throw e;
        } catch (IOException e) {
            throw new Failed(stage, e);
        }
    }

    private static FileLock lock(FileChannel ch) throws Failed {
        try {
            return ch.lock();
        } catch (IOException e) {
            throw new Failed(Stage.LOCK, e);
        }
    }

    /** One read, as qmail does; a regular file of 1024 bytes arrives whole. */
    private static int read(FileChannel rd, byte[] buf) throws Failed {
        try {
            int n = rd.read(ByteBuffer.wrap(buf), 0);
            return Math.max(n, 0);
        } catch (IOException e) {
            throw new Failed(Stage.READ, e);
        }
    }

    @Override
    public void write(int offset, byte[] buf, int off, int len) {
        try {
            wr.write(ByteBuffer.wrap(buf, off, len), offset);
        } catch (IOException e) {
            // tcpto.c ignores a failed record write ("XXX").
        }
    }

    @Override
    public void release() {
        closeWr();
        JVM_LOCK.unlock();
        if (held != null) {
            held.release();
            held = null;
        }
    }

    private void closeWr() {
        if (wr != null) {
            try {
                wr.close();
            } catch (IOException e) {
                // Closing releases the lock whatever happens.
            }
            wr = null;
        }
    }

    /** qmail-tcpok: locks the table and overwrites it with 1024 zero bytes. */
    public void clear() throws Failed {
        Flock.Held f = flock(Stage.OPEN);
        JVM_LOCK.lock();
        try (FileChannel ch = openWrite()) {
            lock(ch);
            ByteBuffer z = ByteBuffer.allocate(Tcpto.SIZE);
            try {
                while (z.hasRemaining()) {
                    ch.write(z);
                }
            } catch (IOException e) {
                throw new Failed(Stage.WRITE, e);
            }
        } catch (Failed e) {
            throw e;
        } catch (IOException e) {
            // close() failing after the write: the zeros are written.
        } finally {
            JVM_LOCK.unlock();
            if (f != null) {
                f.release();
            }
        }
    }

    private FileChannel openWrite() throws Failed {
        try {
            return FileChannel.open(path, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new Failed(Stage.OPEN, e);
        }
    }

    /**
     * {@code tcpto_clean()}, run by qmail-rspawn at start-up: 1024 zero bytes over the start of
     * an existing table, without a lock; any failure is ignored.
     */
    public void clean() {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
            ByteBuffer z = ByteBuffer.allocate(Tcpto.SIZE);
            while (z.hasRemaining()) {
                ch.write(z);
            }
        } catch (IOException e) {
            // qmail-rspawn starts anyway.
        }
    }
}
