package org.jqmail.pop3d;

import java.io.IOException;
import java.io.InputStream;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;

/**
 * How qmail-pop3d sends a message (RETR, TOP): every line of the file (LF-terminated there)
 * goes out with CRLF, a line starting with a dot gets one more dot in front, a last line
 * without LF is completed with CRLF, and {@code \r\n.\r\n} ends the message, so an empty line
 * always precedes the final dot (qmail-pop3d(8): "appends an extra blank line to every
 * message"). A CR already in the file is sent as it is: a stored CRLF line goes out as CR CR LF.
 *
 * <p>{@code limit} is qmail's: 0 sends the whole message; otherwise the header, the empty line
 * ending it and {@code limit - 1} body lines (TOP n k passes k + 1, an unsigned value that
 * wraps as C's does).
 *
 * <p>Streaming: the file is never held in memory, and no line has a length bound because none
 * is buffered; only the first byte of each line matters. A read error ends the session
 * ({@link Pop3d.Die}), as qmail's {@code die()} after {@code getln} fails.
 *
 * <p>See also: qmail-pop3d.c {@code blast()}, RFC 1939 §3, doc/POP3.md.
 */
public final class Blast {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END = {'\r', '\n', '.', '\r', '\n'};
    /** Read size from the message file. */
    static final int READ_BUF = 64 * 1024;

    private Blast() {
    }

    /**
     * Sends the message read from {@code file} to {@code out} and flushes. The fuzz entry
     * point for message bytes: any input gives output, never an exception of its own.
     */
    public static void blast(InputStream file, SubstdioOut out, long limit) throws IOException {
        SubstdioIn in = new SubstdioIn(file, READ_BUF);
        boolean inheaders = true;
        for (;;) {
            int n = in.window();
            if (n == 0) {
                break;
            }
            // At the start of a line, and it has at least one byte.
            if (limit != 0 && !inheaders && --limit == 0) {
                break;
            }
            byte[] b = in.array();
            int p = in.position();
            if (b[p] == '\n') {
                inheaders = false;
            } else if (b[p] == '.') {
                out.put('.');
            }
            if (!line(in, out)) {
                out.put(CRLF);
                break;
            }
            out.put(CRLF);
        }
        out.put(END);
        out.flush();
    }

    /** Copies one line's bytes without its LF; true if the LF came, false at end of file. */
    private static boolean line(SubstdioIn in, SubstdioOut out) throws IOException {
        for (;;) {
            int n = in.window();
            if (n == 0) {
                return false;
            }
            byte[] b = in.array();
            int p = in.position();
            int end = p + n;
            int i = p;
            while (i < end && b[i] != '\n') {
                i++;
            }
            out.put(b, p, i - p);
            if (i < end) {
                in.consume(i - p + 1);
                return true;
            }
            in.consume(n);
        }
    }
}
