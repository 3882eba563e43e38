package org.jqmail.remote;

import java.io.IOException;
import java.nio.file.Path;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;

/**
 * qmail's {@code lock_ex} on the timeout table through the native layer: open the file, then
 * {@code flock(LOCK_EX)}; closing the descriptor releases it. For qmail-rspawn, qmail-tcpto and
 * qmail-tcpok only: the lean standalone qmail-remote must not load native code
 * (doc/ARCHITECTURE.md §2).
 */
public final class NativeFlock implements TcptoFile.Flock {
    private final Posix px;

    public NativeFlock() {
        this(Nat.posix());
    }

    NativeFlock(Posix px) {
        this.px = px;
    }

    @Override
    public Held lock(Path path) throws IOException {
        int fd;
        try {
            fd = px.open(path.toString(), Posix.O_RDONLY, 0);
        } catch (IOException e) {
            throw new TcptoFile.Failed(TcptoFile.Stage.OPEN, e);
        }
        try {
            px.flock(fd, Posix.LOCK_EX);
        } catch (IOException e) {
            px.close(fd);
            throw new TcptoFile.Failed(TcptoFile.Stage.LOCK, e);
        } catch (RuntimeException e) {
            px.close(fd);
            throw e;
        }
        return new Held() {
            @Override
            public void release() {
                try {
                    px.close(fd);
                } catch (IOException e) {
                    // The descriptor is gone either way; so is the lock.
                }
            }
        };
    }
}
