package org.jqmail.send;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;

/**
 * {@code lock/sendmutex} taken with a non-blocking exclusive {@code flock(2)} (qmail-send(8)), so
 * that a C qmail-send and ours exclude each other. The descriptor stays open for the life of
 * the process. Java's own {@code FileChannel.tryLock} takes fcntl locks, which do not
 * interact with flock; it is used only where the native layer is not available.
 */
final class SendMutex implements Send.Mutex {
    private FileChannel fallback;

    @Override
    public boolean tryLock(Path sendmutex) throws IOException {
        Posix px;
        try {
            px = Nat.posix();
            int fd = px.open(sendmutex.toString(), Posix.O_WRONLY, 0);
            return px.flock(fd, Posix.LOCK_EX | Posix.LOCK_NB);
        } catch (UnsupportedOperationException e) {
            fallback = FileChannel.open(sendmutex, StandardOpenOption.WRITE);
            return fallback.tryLock() != null;
        }
    }
}
