package org.jqmail.qmtpd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The message qmail-qmqpc must send whole, and perhaps more than once: QMQP gives its length
 * first. qmail reads it into memory; here up to {@link #MEMORY} bytes stay in memory and a
 * longer message goes on into an unlinked file of the temporary directory, so a large message
 * costs disk, not heap.
 */
final class Spool implements AutoCloseable {
    static final int MEMORY = 1024 * 1024;

    private final byte[] mem = new byte[64 * 1024];
    private byte[] head = mem;
    private int headLen;
    private FileChannel file;
    private long size;

    /** Reads {@code in} to its end. */
    void fill(InputStream in) throws IOException {
        byte[] b = new byte[64 * 1024];
        for (int n; (n = in.read(b)) > 0;) {
            add(b, n);
        }
    }

    private void add(byte[] b, int n) throws IOException {
        size = Math.addExact(size, n);
        if (file == null && headLen + n <= MEMORY) {
            if (headLen + n > head.length) {
                head = java.util.Arrays.copyOf(head, Math.min(MEMORY, Math.max(head.length * 2, headLen + n)));
            }
            System.arraycopy(b, 0, head, headLen, n);
            headLen += n;
            return;
        }
        if (file == null) {
            Path p = Files.createTempFile("qmail-qmqpc", ".mess");
            file = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            Files.deleteIfExists(p);
        }
        ByteBuffer bb = ByteBuffer.wrap(b, 0, n);
        while (bb.hasRemaining()) {
            file.write(bb);
        }
    }

    long size() {
        return size;
    }

    /** Writes the whole message to {@code out}. */
    void writeTo(OutputStream out) throws IOException {
        out.write(head, 0, headLen);
        if (file != null) {
            ByteBuffer bb = ByteBuffer.allocate(64 * 1024);
            long pos = 0;
            for (int n; (n = file.read(bb, pos)) > 0;) {
                out.write(bb.array(), 0, n);
                pos += n;
                bb.clear();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
        }
    }
}
