package org.jqmail.local;

import java.io.IOException;
import java.io.OutputStream;
import org.jqmail.io.Out;

/**
 * The standalone program's output: fd 1 and fd 2 themselves, unbuffered, so each write is one
 * {@code write(2)} as qmail's flushed {@code substdio} writes are. Programs inherit both fds.
 */
final class FdOutput implements Output {
    private final OutputStream fd1;
    private final OutputStream fd2;

    FdOutput(OutputStream fd1, OutputStream fd2) {
        this.fd1 = fd1;
        this.fd2 = fd2;
    }

    /** This process's own fd 1 and fd 2. */
    static FdOutput std() {
        return new FdOutput(Out.stdout(), Out.stderr());
    }

    @Override
    public void out(byte[] b) {
        write(fd1, b);
    }

    @Override
    public void err(byte[] b) {
        write(fd2, b);
    }

    private static void write(OutputStream fd, byte[] b) {
        try {
            fd.write(b);
        } catch (IOException e) {
            // Like substdio_flush's ignored result in qmail-local: the exit code still tells.
        }
    }

    @Override
    public boolean inheritable() {
        return true;
    }
}
