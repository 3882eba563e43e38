package org.jqmail.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * Buffered, byte-oriented input with an explicit buffer size, qmail's {@code substdio} for
 * reading. Every line read has a bound chosen by the caller.
 *
 * <p>Not thread-safe. Reads go straight to the underlying stream; a short read is normal.
 */
public final class SubstdioIn {
    /** Outcome of {@link #getline}. */
    public enum Line {
        /** A whole line was read; the delimiter was consumed and is not in the buffer. */
        LINE,
        /** End of input after some bytes but before the delimiter. */
        PARTIAL,
        /** End of input with nothing read. */
        EOF,
        /** More than the limit arrived before the delimiter; the buffer holds the first limit bytes. */
        TOO_LONG
    }

    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int end;

    public SubstdioIn(InputStream in, int size) {
        this.in = in;
        this.buf = new byte[size];
    }

    /** Bytes already buffered and not yet consumed. */
    public int buffered() {
        return end - pos;
    }

    /** Refills the buffer if empty; returns false at end of input. */
    private boolean fill() throws IOException {
        if (pos < end) {
            return true;
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }

    /**
     * For a caller that scans input in place rather than byte by byte: fills the buffer if it
     * is empty and returns how many bytes it holds, 0 at end of input. The bytes are
     * {@code array()[position() .. position() + n)}; {@link #consume} takes some of them. The
     * array is this reader's own: read it, never write it, and only until the next call that
     * reads.
     */
    public int window() throws IOException {
        return fill() ? end - pos : 0;
    }

    /** The buffer behind {@link #window}. */
    public byte[] array() {
        return buf;
    }

    /** Where the unconsumed bytes of {@link #window} start in {@link #array}. */
    public int position() {
        return pos;
    }

    /** Consumes {@code n} of the buffered bytes ({@code 0 <= n <= buffered()}). */
    public void consume(int n) {
        if (n < 0 || n > end - pos) {
            throw new IndexOutOfBoundsException(n);
        }
        pos += n;
    }

    /** Next byte (0..255), or -1 at end of input. */
    public int get() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    /** Next byte without consuming it, or -1. */
    public int peek() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buf[pos] & 0xff;
    }

    /**
     * Reads up to {@code len} bytes: from the buffer if it holds any, else one read from the
     * stream. Returns -1 at end of input.
     */
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == end && len >= buf.length) {
            return in.read(b, off, len);
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, end - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Reads exactly {@code len} bytes or throws {@link java.io.EOFException}. */
    public void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = read(b, off, len);
            if (n < 0) {
                throw new java.io.EOFException();
            }
            off += n;
            len -= n;
        }
    }

    /**
     * Appends bytes to {@code line} up to the delimiter (not included), reading at most
     * {@code limit} bytes of line content. On {@link Line#TOO_LONG} the rest of the line is
     * still unread; call {@link #skipLine} to discard it without storing it.
     */
    public Line getline(ByteBuf line, byte delim, int limit) throws IOException {
        int taken = 0;
        boolean any = false;
        for (;;) {
            if (!fill()) {
                return any ? Line.PARTIAL : Line.EOF;
            }
            any = true;
            int i = pos;
            int stop = Math.min(end, pos + (limit - taken) + 1);
            while (i < stop && buf[i] != delim) {
                i++;
            }
            if (i < end && i < stop && buf[i] == delim) {
                line.append(buf, pos, i - pos);
                pos = i + 1;
                return Line.LINE;
            }
            int n = i - pos;
            if (taken + n > limit) {
                int keep = limit - taken;
                line.append(buf, pos, keep);
                pos += keep;
                return Line.TOO_LONG;
            }
            line.append(buf, pos, n);
            taken += n;
            pos = i;
        }
    }

    /**
     * Discards input up to and including the next delimiter. Returns false if input ended
     * first. Uses no memory beyond the buffer.
     */
    public boolean skipLine(byte delim) throws IOException {
        for (;;) {
            if (!fill()) {
                return false;
            }
            for (int i = pos; i < end; i++) {
                if (buf[i] == delim) {
                    pos = i + 1;
                    return true;
                }
            }
            pos = end;
        }
    }
}
