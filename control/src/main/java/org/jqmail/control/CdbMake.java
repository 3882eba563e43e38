package org.jqmail.control;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a cdb file the way qmail's {@code cdbmake} and {@code cdbmss} do (qmail's cdb.3): records
 * from byte 2048 in insertion order, then the 256 hash tables in order, then the header at
 * offset 0; the result is byte-identical to qmail's for the same input. The file is written as
 * {@code NAME.tmp}, fsynced and renamed over {@code NAME}, so readers see the old or the new
 * file, never half of one.
 */
public final class CdbMake implements Closeable {
    private static final long MAX = 0xffffffffL;

    private final Path target;
    private final Path tmp;
    private final FileChannel ch;
    private final OutputStream out;
    private final List<long[]> entries = new ArrayList<>();
    private long pos = 2048;
    private boolean done;

    /** Starts {@code target}.tmp; {@link #finish} renames it over {@code target}. */
    public CdbMake(Path target) throws IOException {
        this(target, target.resolveSibling(target.getFileName() + ".tmp"));
    }

    /** Starts {@code tmp}; {@link #finish} renames it over {@code target}. */
    public CdbMake(Path target, Path tmp) throws IOException {
        this.target = target;
        this.tmp = tmp;
        this.ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
        ch.position(2048);
        this.out = new BufferedOutputStream(Channels.newOutputStream(ch), 8192);
    }

    private static void le32(OutputStream o, long v) throws IOException {
        o.write((int) v);
        o.write((int) (v >>> 8));
        o.write((int) (v >>> 16));
        o.write((int) (v >>> 24));
    }

    private void advance(long n) throws IOException {
        pos += n;
        if (pos > MAX) {
            throw new IOException("cdb: file too large");
        }
    }

    /** Adds a record. */
    public void add(byte[] key, byte[] data) throws IOException {
        long h = Cdb.hash(key);
        entries.add(new long[] {h, pos});
        le32(out, key.length);
        le32(out, data.length);
        out.write(key);
        out.write(data);
        advance(8L + key.length + data.length);
    }

    /** Writes the tables and header, fsyncs, and renames the file into place. */
    public void finish() throws IOException {
        List<List<long[]>> buckets = new ArrayList<>(256);
        for (int i = 0; i < 256; i++) {
            buckets.add(new ArrayList<>());
        }
        for (long[] e : entries) {
            buckets.get((int) (e[0] & 0xff)).add(e);
        }
        ByteBuffer header = ByteBuffer.allocate(2048).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 256; i++) {
            int slots = Math.multiplyExact(buckets.get(i).size(), 2);
            long[] tab = new long[Math.multiplyExact(slots, 2)];
            for (long[] e : buckets.get(i)) {
                int where = (int) ((e[0] >>> 8) % slots);
                while (tab[where * 2 + 1] != 0) {
                    if (++where == slots) {
                        where = 0;
                    }
                }
                tab[where * 2] = e[0];
                tab[where * 2 + 1] = e[1];
            }
            header.putInt((int) pos);
            header.putInt(slots);
            for (int s = 0; s < slots; s++) {
                le32(out, tab[s * 2]);
                le32(out, tab[s * 2 + 1]);
            }
            advance(8L * slots);
        }
        out.flush();
        header.flip();
        while (header.hasRemaining()) {
            ch.write(header, header.position());
        }
        ch.force(true);
        ch.close();
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        done = true;
    }

    /** Abandons an unfinished file. */
    @Override
    public void close() throws IOException {
        if (!done) {
            ch.close();
            Files.deleteIfExists(tmp);
        }
    }
}
