package org.jqmail.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;

/**
 * Unbuffered streams on an inherited descriptor through read(2) and write(2) on the
 * descriptor itself, for the daemons that cannot use {@link Fds}: reopening
 * {@code /dev/fd/N} fails for a process that dropped root when the pipe was made by root
 * (qmail-start, ours or qmail's, creates qmail-send's pipes as root and then becomes qmails;
 * the kernel refuses a non-root process to reopen a root-owned pipe through {@code /proc}).
 *
 * <p>Synopsis: {@link #in(int)}, {@link #out(int)}; descriptors 0..2 use the JVM's own
 * streams ({@link Fds}). EINTR is retried; every other error is an
 * {@link Errors.ErrnoException}. Reading returns -1 at end of file; a write returns only
 * when every byte has been written. Closing the streams does not close the descriptor.
 *
 * <p>Loads the native layer ({@link Nat#posix()}) for descriptors above 2: for long-lived
 * daemons only (doc/ARCHITECTURE.md §2).
 */
public final class RawFd {
    private RawFd() {
    }

    /** A stream reading descriptor {@code fd}. */
    public static InputStream in(int fd) throws IOException {
        if (fd <= 2) {
            return Fds.in(fd);
        }
        return in(Nat.posix(), fd);
    }

    /** A stream writing descriptor {@code fd}. */
    public static OutputStream out(int fd) throws IOException {
        if (fd <= 2) {
            return Fds.out(fd);
        }
        return out(Nat.posix(), fd);
    }

    /** A stream reading {@code fd} through {@code px}, whatever its number. */
    public static InputStream in(Posix px, int fd) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) <= 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
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

    /** A stream writing {@code fd} through {@code px}, whatever its number. */
    public static OutputStream out(Posix px, int fd) {
        return new OutputStream() {
            @Override
            public void write(int c) throws IOException {
                write(new byte[] {(byte) c}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
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
