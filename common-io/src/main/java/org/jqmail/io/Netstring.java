package org.jqmail.io;

import java.io.EOFException;
import java.io.IOException;

/**
 * Netstrings ({@code LEN:DATA,}) as QMTP and QMQP use them, with every length bounded.
 */
public final class Netstring {
    /** The framing was wrong (a protocol error, exit 100 in qmail-qmtpd). */
    public static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;

        public FormatException(String m) {
            super(m);
        }
    }

    /** The declared length exceeds what the caller allows (a resource error). */
    public static final class TooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        public TooLongException(long len) {
            super("netstring length " + len + " too large");
        }
    }

    private Netstring() {
    }

    /**
     * Reads a netstring's length prefix up to and including the colon. Any non-digit before the
     * colon is a format error (notqmail 2022); a length above {@code max} is refused before
     * anything is allocated.
     */
    public static long readLength(SubstdioIn in, long max) throws IOException {
        long len = 0;
        int digits = 0;
        for (;;) {
            int c = in.get();
            if (c < 0) {
                throw new EOFException();
            }
            if (c == ':') {
                if (digits == 0) {
                    throw new FormatException("empty netstring length");
                }
                return len;
            }
            if (c < '0' || c > '9') {
                throw new FormatException("non-digit in netstring length");
            }
            int d = c - '0';
            // len * 10 + d > max, computed without overflow (max - d may be negative).
            if (len > max / 10 || len * 10 > max - d) {
                throw new TooLongException(len);
            }
            len = len * 10 + d;
            digits++;
        }
    }

    /** Reads the trailing comma of a netstring. */
    public static void readComma(SubstdioIn in) throws IOException {
        int c = in.get();
        if (c < 0) {
            throw new EOFException();
        }
        if (c != ',') {
            throw new FormatException("netstring without comma");
        }
    }

    /** Reads a whole netstring of at most {@code max} bytes. */
    public static byte[] read(SubstdioIn in, int max) throws IOException {
        long len = readLength(in, max);
        byte[] b = new byte[(int) len];
        in.readFully(b, 0, b.length);
        readComma(in);
        return b;
    }

    /** The netstring encoding of {@code data}. */
    public static byte[] encode(byte[] data) {
        return Bytes.concat(Fmt.ulong(data.length), new byte[] {':'}, data, new byte[] {','});
    }
}
