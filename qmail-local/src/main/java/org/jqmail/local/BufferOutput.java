package org.jqmail.local;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A delivery's output collected in memory for the warm worker's response: fd 1 and fd 2 text
 * in the order written, programs' output read from a pipe. Only the first {@code max} bytes are
 * kept (qmail-lspawn keeps 3000 of them anyway); the rest is read and dropped so a chatty
 * program never blocks.
 */
final class BufferOutput implements Output {
    private final int max;
    private byte[] buf = new byte[256];
    private int len;

    BufferOutput(int max) {
        this.max = max;
    }

    @Override
    public void out(byte[] b) {
        append(b, 0, b.length);
    }

    @Override
    public void err(byte[] b) {
        append(b, 0, b.length);
    }

    @Override
    public boolean inheritable() {
        return false;
    }

    @Override
    public void copy(InputStream programOutput) throws IOException {
        byte[] b = new byte[4096];
        int n;
        while ((n = programOutput.read(b)) > 0) {
            append(b, 0, n);
        }
    }

    private void append(byte[] b, int off, int n) {
        int k = Math.min(n, max - len);
        if (k <= 0) {
            return;
        }
        if (len + k > buf.length) {
            buf = Arrays.copyOf(buf, Math.min(max, Math.max(len + k, buf.length * 2)));
        }
        System.arraycopy(b, off, buf, len, k);
        len += k;
    }

    /** Everything kept so far. */
    byte[] bytes() {
        return Arrays.copyOf(buf, len);
    }
}
