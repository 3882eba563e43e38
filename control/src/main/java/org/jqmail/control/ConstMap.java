package org.jqmail.control;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jqmail.io.Bytes;

/**
 * An ASCII-case-insensitive map from byte-string keys to byte-string values, qmail's
 * {@code constmap} (qmail's constmap.c). Only A-Z fold. For colon maps the key is the text before
 * the first {@code :} and the value everything after it; lines without a colon are ignored; when a
 * key repeats, the last line wins.
 */
public final class ConstMap {
    private static final byte[] EMPTY = new byte[0];

    private final Map<Key, byte[]> map;

    private ConstMap(Map<Key, byte[]> map) {
        this.map = map;
    }

    /** A set: each entry maps to the empty value. */
    public static ConstMap ofList(List<byte[]> entries) {
        Map<Key, byte[]> m = new HashMap<>(Math.max(16, entries.size() * 2));
        for (byte[] e : entries) {
            m.put(new Key(e, 0, e.length), EMPTY);
        }
        return new ConstMap(m);
    }

    /** A colon map from {@code key:value} lines. */
    public static ConstMap ofColonLines(List<byte[]> lines) {
        Map<Key, byte[]> m = new HashMap<>(Math.max(16, lines.size() * 2));
        for (byte[] l : lines) {
            int c = Bytes.indexOf(l, ':');
            if (c >= 0) {
                m.put(new Key(l, 0, c), Arrays.copyOfRange(l, c + 1, l.length));
            }
        }
        return new ConstMap(m);
    }

    /** The value for {@code key}, or null. */
    public byte[] get(byte[] key) {
        return map.get(new Key(key, 0, key.length));
    }

    /** The value for {@code key[off..off+len)}, or null. */
    public byte[] get(byte[] key, int off, int len) {
        return map.get(new Key(key, off, len));
    }

    public boolean contains(byte[] key) {
        return get(key) != null;
    }

    public boolean contains(byte[] key, int off, int len) {
        return get(key, off, len) != null;
    }

    public int size() {
        return map.size();
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    /** A key folded to lower case once, compared bytewise. */
    private static final class Key {
        private final byte[] k;
        private final int hash;

        Key(byte[] s, int off, int len) {
            k = new byte[len];
            int h = 5381;
            for (int i = 0; i < len; i++) {
                byte c = Bytes.lower(s[off + i]);
                k[i] = c;
                h = h * 33 ^ c;
            }
            hash = h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && Arrays.equals(k, ((Key) o).k);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
