package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.jqmail.io.Errors;
import org.jqmail.io.Fds;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;

/**
 * Streams on qmail-send's inherited descriptors 3..6 through read(2) and write(2) on the
 * descriptor itself. Reopening {@code /dev/fd/N} is not possible here: qmail-start (ours or
 * qmail's) creates the pipes as root and then becomes qmails, and the kernel refuses a
 * non-root process to reopen a root-owned pipe through {@code /proc}. Descriptors 0..2 use
 * the JVM's own streams.
 */
final class RawFd {
    private RawFd() {
    }

    static InputStream in(int fd) throws IOException {
        if (fd <= 2) {
            return Fds.in(fd);
        }
        Posix px = Nat.posix();
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) <= 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                for (;;) {
                    try {
                        int r = px.read(fd, b, off, len);
                        return r == 0 ? -1 : r;
                    } catch (Errors.ErrnoException e) {
                        if (e.errno() != Errors.EINTR) {
                            throw e;
                        }
                    }
                }
            }
        };
    }

    static OutputStream out(int fd) throws IOException {
        if (fd <= 2) {
            return Fds.out(fd);
        }
        Posix px = Nat.posix();
        return new OutputStream() {
            @Override
            public void write(int c) throws IOException {
                write(new byte[] {(byte) c}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                while (len > 0) {
                    int w;
                    try {
                        w = px.write(fd, b, off, len);
                    } catch (Errors.ErrnoException e) {
                        if (e.errno() == Errors.EINTR) {
                            continue;
                        }
                        throw e;
                    }
                    off += w;
                    len -= w;
                }
            }
        };
    }
}
