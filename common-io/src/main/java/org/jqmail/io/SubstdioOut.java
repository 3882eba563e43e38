package org.jqmail.io;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Buffered output with an explicit buffer size, qmail's {@code substdio} for writing. Nothing
 * reaches the stream until the buffer fills or {@link #flush} is called, which is how qmail
 * decides where replies are pipelined.
 */
public final class SubstdioOut {
    private final OutputStream out;
    private final byte[] buf;
    private int len;

    public SubstdioOut(OutputStream out, int size) {
        this.out = out;
        this.buf = new byte[size];
    }

    public SubstdioOut put(byte[] b) throws IOException {
        return put(b, 0, b.length);
    }

    public SubstdioOut put(byte[] b, int off, int n) throws IOException {
        if (n > buf.length - len) {
            flush();
            if (n >= buf.length) {
                out.write(b, off, n);
                return this;
            }
        }
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    public SubstdioOut put(ByteBuf b) throws IOException {
        return put(b.array(), 0, b.length());
    }

    public SubstdioOut put(int c) throws IOException {
        if (len == buf.length) {
            flush();
        }
        buf[len++] = (byte) c;
        return this;
    }

    /** Puts ASCII text (protocol literals). */
    public SubstdioOut puts(String ascii) throws IOException {
        return put(Bytes.ascii(ascii));
    }

    public SubstdioOut flush() throws IOException {
        if (len > 0) {
            out.write(buf, 0, len);
            len = 0;
        }
        out.flush();
        return this;
    }

    /** Number of bytes buffered and not yet written. */
    public int buffered() {
        return len;
    }
}
