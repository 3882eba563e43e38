package org.jqmail.send;

import java.io.IOException;
import java.io.OutputStream;
import org.jqmail.control.LogSafe;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;

/**
 * qmail-send's log ({@code qsutil.c}, spec §3.12): one line per event on fd 0, each written
 * with a single write call and flushed at once, with no time stamp (multilog or splogger adds
 * it). Untrusted text (senders, recipients, reports) passes through {@link #safe} first.
 *
 * <p>Write errors are ignored, as qmail ignores them: there is nowhere else to report them.
 */
final class Log {
    private static final int LINE_MAX = 64 * 1024;

    private final OutputStream out;

    Log(OutputStream out) {
        this.out = out;
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
            try {
                out.write(b.array(), 0, b.length());
                out.flush();
            } catch (IOException e) {
                // qsutil.c ignores log write errors.
            }
        }
    }
}
