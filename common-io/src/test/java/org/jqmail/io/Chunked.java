package org.jqmail.io;

import java.io.InputStream;

/** An input stream that hands out its bytes in fixed awkward fragments (Netty's *Chunked tests). */
public final class Chunked extends InputStream {
    private final byte[] data;
    private final int chunk;
    private int pos;

    public Chunked(byte[] data, int chunk) {
        this.data = data;
        this.chunk = chunk;
    }

    public Chunked(String ascii, int chunk) {
        this(Bytes.ascii(ascii), chunk);
    }

    @Override
    public int read() {
        return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (pos >= data.length) {
            return -1;
        }
        int n = Math.min(Math.min(len, chunk), data.length - pos);
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
    }
}
