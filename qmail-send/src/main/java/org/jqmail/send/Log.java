package org.jqmail.send;

import java.io.IOException;
import java.io.OutputStream;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;

/**
 * qmail-send's log ({@code qsutil.c}, qmail-log(5)): one line per event on fd 0, each written
 * with a single write call and flushed at once, with no time stamp (multilog or splogger adds
 * it). Untrusted text (senders, recipients, reports) passes through {@link #safe} first.
 *
 * <p>Write errors are ignored, as qmail ignores them: there is nowhere else to report them.
 *
 * <p>Where it differs from qmail, for speed: in {@linkplain #buffered() buffered} mode (qmail-send's
 * main loop) the lines of one loop turn are collected and written together by {@link #flush},
 * which the loop calls before it waits for the next event; qmail writes each line at once.
 * The lines and their order are the same; a line is never split between two writes.
 */
final class Log {
    private static final int LINE_MAX = 64 * 1024;

    /**
     * Most bytes of buffered lines written at once (PIPE_BUF): the log is a pipe that qmail-send's
     * children write their own errors to, and a write of at most this many bytes is atomic, so
     * a batch never interleaves with another writer's line. A line that does not fit in what
     * is left first sends the lines before it.
     */
    private static final int FLUSH_AT = 4096;

    private final OutputStream out;
    /** Lines not yet written (buffered mode), else null. */
    private ByteBuf pending;

    Log(OutputStream out) {
        this.out = out;
    }

    /** From now on, lines wait for {@link #flush} (or a full buffer). */
    Log buffered() {
        synchronized (out) {
            if (pending == null) {
                pending = new ByteBuf(2 * FLUSH_AT, FLUSH_AT + LINE_MAX + 1);
            }
        }
        return this;
    }

    /** Writes the buffered lines, in one write. */
    void flush() {
        synchronized (out) {
            if (pending != null && pending.length() > 0) {
                write(pending.array(), pending.length());
                pending.clear();
            }
        }
    }

    private void write(byte[] b, int n) {
        try {
            out.write(b, 0, n);
            out.flush();
        } catch (IOException e) {
            // qsutil.c ignores log write errors.
        }
    }

    /** {@code logsafe}: LF becomes {@code /}, other unsafe bytes {@code _}; ends at a NUL. */
    static byte[] safe(byte[] s) {
        return LogSafe.of(s);
    }

    /**
     * Writes one line made of the parts (each a {@code String} of ASCII text, a {@code byte[]}
     * or a {@code Long} printed unsigned) followed by LF.
     */
    void line(Object... parts) {
        ByteBuf b = new ByteBuf(256, LINE_MAX);
        try {
            for (Object p : parts) {
                if (p instanceof byte[]) {
                    b.append((byte[]) p);
                } else if (p instanceof Long) {
                    b.appendUlong((Long) p);
                } else if (p instanceof Integer) {
                    b.appendUlong(((Integer) p).longValue() & 0xffffffffL);
                } else {
                    b.append(Bytes.ascii(String.valueOf(p)));
                }
            }
        } catch (ByteBuf.Overflow e) {
            b.truncate(Math.min(b.length(), LINE_MAX - 1));
        }
        b.append('\n');
        synchronized (out) {
            if (pending == null) {
                write(b.array(), b.length());
                return;
            }
            if (pending.length() + b.length() > FLUSH_AT) {
                flush();
            }
            pending.append(b.array(), 0, b.length());
        }
    }
}
