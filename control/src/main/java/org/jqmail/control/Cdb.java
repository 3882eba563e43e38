package org.jqmail.control;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jqmail.io.IfExists;

/**
 * A reader for D. J. Bernstein's constant database format ({@code cdb.3}), as qmail
 * uses it for {@code users/cdb}, {@code control/morercpthosts.cdb} and tcprules' rule files.
 *
 * <p>All integers are unsigned 32-bit little-endian and are handled as {@code long}, so files
 * up to 4 GiB are read correctly (the 64-bit confusion netqmail 1.05 fixed cannot arise). A
 * record whose stated lengths run past the end of the file is a format error, never an
 * allocation: the reader never trusts a length it has not checked against the file size.
 */
public final class Cdb implements Closeable {
    /** The file is not a well-formed cdb. */
    public static final class FormatException extends IOException {
        private static final long serialVersionUID = 1L;

        FormatException(String m) {
            super(m);
        }
    }

    private final FileChannel ch;
    private final long size;
    private final ByteBuffer b8 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    private Cdb(FileChannel ch) throws IOException {
        this.ch = ch;
        this.size = ch.size();
    }

    /**
     * Opens {@code p}; returns null if it does not exist. A missing file (users/cdb,
     * morercpthosts.cdb: absent on most installs) is found without an exception
     * ({@link IfExists}).
     */
    public static Cdb openIfExists(Path p) throws IOException {
        if (IfExists.attributes(p) == null) {
            return null;
        }
        try {
            return new Cdb(FileChannel.open(p, StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Opens {@code p}. */
    public static Cdb open(Path p) throws IOException {
        return new Cdb(FileChannel.open(p, StandardOpenOption.READ));
    }

    /** The cdb hash function: h = 5381; h = ((h << 5) + h) ^ c, modulo 2^32. */
    public static long hash(byte[] key, int off, int len) {
        long h = 5381;
        for (int i = 0; i < len; i++) {
            h = (((h << 5) + h) ^ (key[off + i] & 0xff)) & 0xffffffffL;
        }
        return h;
    }

    public static long hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    private void read8(long pos) throws IOException {
        if (pos < 0 || pos + 8 > size) {
            throw new FormatException("cdb: read past end of file");
        }
        b8.clear();
        while (b8.hasRemaining()) {
            if (ch.read(b8, pos + b8.position()) < 0) {
                throw new EOFException();
            }
        }
        b8.flip();
    }

    private long u32(int at) {
        return b8.getInt(at) & 0xffffffffL;
    }

    /** The data of the first record with this key, or null. */
    public byte[] find(byte[] key) throws IOException {
        return find(key, 0, key.length);
    }

    /** The data of the first record with key {@code key[off..off+len)}, or null. */
    public byte[] find(byte[] key, int off, int len) throws IOException {
        long h = hash(key, off, len);
        read8((h & 0xff) << 3);
        long tpos = u32(0);
        long slots = u32(4);
        if (slots == 0) {
            return null;
        }
        long slot = (h >>> 8) % slots;
        for (long probes = 0; probes < slots; probes++) {
            read8(tpos + (slot << 3));
            long sh = u32(0);
            long rpos = u32(4);
            if (rpos == 0) {
                return null;
            }
            if (sh == h) {
                byte[] d = record(rpos, key, off, len);
                if (d != null) {
                    return d;
                }
            }
            if (++slot == slots) {
                slot = 0;
            }
        }
        return null;
    }

    private byte[] record(long rpos, byte[] key, int off, int len) throws IOException {
        read8(rpos);
        long klen = u32(0);
        long dlen = u32(4);
        if (klen != len) {
            return null;
        }
        if (rpos + 8 + klen + dlen > size) {
            throw new FormatException("cdb: record runs past end of file");
        }
        ByteBuffer kb = ByteBuffer.allocate(len);
        readFully(kb, rpos + 8);
        for (int i = 0; i < len; i++) {
            if (kb.get(i) != key[off + i]) {
                return null;
            }
        }
        ByteBuffer db = ByteBuffer.allocate((int) dlen);
        readFully(db, rpos + 8 + klen);
        return db.array();
    }

    private void readFully(ByteBuffer bb, long pos) throws IOException {
        while (bb.hasRemaining()) {
            if (ch.read(bb, pos + bb.position()) < 0) {
                throw new EOFException();
            }
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
