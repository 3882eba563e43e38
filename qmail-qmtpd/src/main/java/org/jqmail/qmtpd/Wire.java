package org.jqmail.qmtpd;

import java.io.IOException;
import java.io.InputStream;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;

/**
 * The byte reader of qmail-qmtpd and qmail-qmqpd: netstring lengths and commas exactly as
 * qmail reads them (doc/QMTP.md §1). Pure: it reads only the {@link SubstdioIn} it is given, so
 * a fuzz target can drive it with any bytes.
 *
 * <p>A length is digits up to a colon, none at all meaning 0. A non-digit is a protocol error
 * (exit 100); a length that already exceeds 200000000 when another digit arrives is a lack of
 * resources (exit 111), so the largest length accepted is 2000000009. End of input, or a failed
 * read, ends the session with 0. With a byte budget (QMQP's {@code bytesleft}) every byte read
 * counts against it, and reading past it is a protocol error.
 */
final class Wire {
    static final long CAP = 200_000_000L;

    private final SubstdioIn in;
    /** Bytes the client may still send; negative: no budget (QMTP). */
    private long bytesleft = -1;

    Wire(SubstdioIn in) {
        this.in = in;
    }

    /** Limits the bytes still to be read ({@code bytesleft} of qmail-qmqpd). */
    void budget(long n) {
        bytesleft = n;
    }

    long budget() {
        return bytesleft;
    }

    /** One byte, 0..255. */
    int get() throws Quit {
        if (bytesleft >= 0) {
            if (bytesleft == 0) {
                throw new Quit(Quit.BADPROTO);
            }
            bytesleft--;
        }
        int c;
        try {
            c = in.get();
        } catch (IOException e) {
            throw new Quit(Quit.EOF);
        }
        if (c < 0) {
            throw new Quit(Quit.EOF);
        }
        return c;
    }

    /** Up to {@code n} bytes ({@code n >= 1}) into {@code b}, at least one; how many. */
    int read(byte[] b, int n) throws Quit {
        if (bytesleft >= 0) {
            if (bytesleft == 0) {
                throw new Quit(Quit.BADPROTO);
            }
            n = (int) Math.min(n, bytesleft);
        }
        int r;
        try {
            r = in.read(b, 0, n);
        } catch (IOException e) {
            throw new Quit(Quit.EOF);
        }
        if (r <= 0) {
            throw new Quit(Quit.EOF);
        }
        if (bytesleft >= 0) {
            bytesleft -= r;
        }
        return r;
    }

    /** {@code getlen()}: a netstring's length up to and including its colon. */
    long length() throws Quit {
        long len = 0;
        for (;;) {
            int ch = get();
            if (ch == ':') {
                return len;
            }
            if (len > CAP) {
                throw new Quit(Quit.RESOURCES);
            }
            if (ch < '0' || ch > '9') {
                throw new Quit(Quit.BADPROTO);
            }
            len = 10 * len + (ch - '0');
        }
    }

    /** {@code getcomma()}. */
    void comma() throws Quit {
        if (get() != ',') {
            throw new Quit(Quit.BADPROTO);
        }
    }

    /** Reads and drops {@code n} bytes. */
    void skip(long n) throws Quit {
        for (long i = 0; i < n; i++) {
            get();
        }
    }

    /**
     * Input that first flushes {@code out}: qmail-qmtpd's {@code saferead} flushes its answers
     * before every read from the network, so pipelined messages get theirs in time.
     */
    static InputStream flushing(InputStream in, SubstdioOut out) {
        return new Flushing(in, out);
    }

    private static final class Flushing extends InputStream {
        private final InputStream in;
        private final SubstdioOut out;

        Flushing(InputStream in, SubstdioOut out) {
            this.in = in;
            this.out = out;
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            out.flush();
            return in.read(b, off, len);
        }
    }
}
