package org.jqmail.tools;

import java.io.IOException;
import java.io.InputStream;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Fmt;

/**
 * splogger's line handling (splogger(8)): every input line becomes one syslog message
 * {@code SECONDS.MICROSECONDS LINE}; lines starting {@code alert:} go out at LOG_ALERT,
 * {@code warning:} at LOG_WARNING, others at LOG_INFO; bytes outside 32..126 become {@code ?};
 * empty lines are skipped; a line longer than 799 bytes is cut into pieces, the later ones
 * logged as {@code STAMP+TEXT} with the first piece's stamp and priority. A last line without
 * LF is not logged, as in qmail.
 */
final class Splog {
    static final int LOG_ALERT = 1;
    static final int LOG_WARNING = 4;
    static final int LOG_INFO = 6;

    /** Where messages go. */
    interface Sink {
        void log(int priority, byte[] message) throws IOException;
    }

    /** The time in microseconds. */
    interface Clock {
        long micros();
    }

    private static final int BUF = 800;

    private final Sink sink;
    private final Clock clock;
    private final byte[] buf = new byte[BUF];
    private int bufpos;
    private boolean cont;
    private int priority;
    private byte[] stamp;

    Splog(Sink sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    void run(InputStream in) throws IOException {
        byte[] b = new byte[4096];
        int n;
        while ((n = in.read(b)) > 0) {
            for (int i = 0; i < n; i++) {
                put(b[i]);
            }
        }
    }

    void put(byte ch) throws IOException {
        if (ch == '\n') {
            flush();
            cont = false;
            return;
        }
        if (bufpos == BUF - 1) {
            flush();
        }
        buf[bufpos++] = ch < 32 || ch > 126 ? (byte) '?' : ch;
    }

    private void flush() throws IOException {
        if (bufpos > 0) {
            ByteBuf m = new ByteBuf(BUF + 64);
            if (cont) {
                m.append(stamp).append('+').append(buf, 0, bufpos);
            } else {
                long us = clock.micros();
                stamp = new ByteBuf(40).appendUlong(us / 1000000).append('.')
                        .append(Fmt.zeroPad(us % 1000000, 6)).toByteArray();
                priority = LOG_INFO;
                if (startsWith("warning:")) {
                    priority = LOG_WARNING;
                }
                if (startsWith("alert:")) {
                    priority = LOG_ALERT;
                }
                m.append(stamp).append(' ').append(buf, 0, bufpos);
                cont = true;
            }
            sink.log(priority, m.toByteArray());
        }
        bufpos = 0;
    }

    private boolean startsWith(String p) {
        if (bufpos < p.length()) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            if (buf[i] != p.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
