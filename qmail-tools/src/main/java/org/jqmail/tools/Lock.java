package org.jqmail.tools;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;

/**
 * An exclusive lock on an mbox, as qmail takes it: {@code open(O_WRONLY|O_APPEND|O_CREAT, 0600)}
 * and {@code flock(LOCK_EX)}. flock is what mail readers and qmail-local use; it needs the
 * native layer, which costs start-up time but maildir2mbox is not on a hot path. Where the
 * native layer is unavailable the lock falls back to the JDK's fcntl lock, which excludes other
 * instances of this tool only.
 */
final class Lock implements AutoCloseable {
    /** The lock could not be taken; the cause tells why. */
    static final class LockException extends Exception {
        private static final long serialVersionUID = 1L;

        LockException(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private final Posix px;
    private final int fd;
    private final FileChannel ch;
    private final FileLock lock;

    private Lock(Posix px, int fd, FileChannel ch, FileLock lock) {
        this.px = px;
        this.fd = fd;
        this.ch = ch;
        this.lock = lock;
    }

    static Lock exclusive(Path mbox) throws LockException {
        Posix px = null;
        try {
            px = Nat.posix();
            int fd = px.open(mbox.toString(), Posix.O_WRONLY | Posix.O_APPEND | Posix.O_CREAT, 0600);
            try {
                px.flock(fd, Posix.LOCK_EX);
            } catch (IOException e) {
                px.close(fd);
                throw e;
            }
            return new Lock(px, fd, null, null);
        } catch (IOException e) {
            throw new LockException(e);
        } catch (RuntimeException | LinkageError e) {
            // No native layer here: fall back to an fcntl lock.
        }
        try {
            FileChannel ch = FileChannel.open(mbox, EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                    StandardOpenOption.CREATE), PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
            return new Lock(null, -1, ch, ch.lock());
        } catch (IOException e) {
            throw new LockException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (px != null) {
            px.close(fd);
        } else {
            lock.release();
            ch.close();
        }
    }
}
