package org.jqmail.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.util.Objects;
import org.jqmail.io.nat.Posix;

/**
 * A connection's two descriptors received from another process (the SMTP listener takes them
 * from {@code bin/qmail-smtpd}, doc/HANDOFF.md) as streams whose every wait has a deadline:
 * the counterparts of that process's fd 0 and fd 1, one socket twice or two pipes (a wrapper
 * such as recordio in between).
 *
 * <p>Synopsis: {@code new PolledFds(px, in, out)}, {@link #timeout(int)}, {@link #in()},
 * {@link #out()}, {@link #close()} (closes both descriptors). Reads wait in poll(2) for at most
 * the timeout and then throw {@link SocketTimeoutException}, as a socket with SO_TIMEOUT does;
 * they return -1 at end of input. Writes go out non-blocking and wait in poll(2) while the
 * peer does not read, throwing {@link InterruptedIOException} past the timeout. Every other
 * error is an {@link Errors.ErrnoException}. No thread of its own and no watchdog.
 *
 * <p>Both descriptors are switched to O_NONBLOCK, which their open file descriptions share
 * with every other process holding them: the hand-off's sender closes its copies, and
 * tcpserver's parent closed its own before starting the program, so nobody else reads or
 * writes them.
 */
public final class PolledFds implements Closeable {
    private final Posix px;
    private final int in;
    private final int out;
    /** The deadline of one wait, in milliseconds; negative: none. */
    private volatile int millis = -1;

    public PolledFds(Posix px, int in, int out) throws IOException {
        this.px = px;
        this.in = in;
        this.out = out;
        px.setNonblock(in, true);
        px.setNonblock(out, true);
    }

    /** Every later wait ends after {@code seconds} (at least one). */
    public void timeout(int seconds) {
        timeoutMillis((int) Math.min(Math.max(seconds, 1) * 1000L, Integer.MAX_VALUE));
    }

    /** As {@link #timeout(int)}, in milliseconds (tests). */
    void timeoutMillis(int ms) {
        millis = ms;
    }

    private static boolean again(Errors.ErrnoException e) throws Errors.ErrnoException {
        if (e.errno() == Errors.EAGAIN || e.errno() == Errors.EINTR) {
            return true;
        }
        throw e;
    }

    /** The input, unbuffered. */
    public InputStream in() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) {
                    return 0;
                }
                for (;;) {
                    if (px.poll(in, Posix.POLLIN, millis) == 0) {
                        throw new SocketTimeoutException("read timed out");
                    }
                    try {
                        int r = px.read(in, b, off, len);
                        return r == 0 ? -1 : r;
                    } catch (Errors.ErrnoException e) {
                        again(e);
                    }
                }
            }
        };
    }

    /** The output, unbuffered: a write returns when every byte is out. */
    public OutputStream out() {
        return new OutputStream() {
            @Override
            public void write(int c) throws IOException {
                write(new byte[] {(byte) c}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                while (len > 0) {
                    try {
                        int w = px.write(out, b, off, len);
                        off += w;
                        len -= w;
                        continue;
                    } catch (Errors.ErrnoException e) {
                        again(e);
                    }
                    if (px.poll(out, Posix.POLLOUT, millis) == 0) {
                        throw new InterruptedIOException("write timed out");
                    }
                }
            }
        };
    }

    /** Closes both descriptors; the connection ends when no other process holds it. */
    @Override
    public void close() {
        for (int fd : new int[] {in, out}) {
            try {
                px.close(fd);
            } catch (IOException e) {
                // Closed either way (Linux); nothing more to do.
            }
        }
    }
}
