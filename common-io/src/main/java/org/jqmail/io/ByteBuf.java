package org.jqmail.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte string with a hard upper bound, qmail's {@code stralloc} with the overflow
 * checks of netqmail 1.05 built in.
 *
 * <p>Every append checks the bound first and throws {@link Overflow} instead of growing past
 * it, so no input can make a buffer larger than its owner decided. Sizes are ints but all
 * arithmetic on them is checked.
 */
public final class ByteBuf {
    /** Thrown when an append would exceed the buffer's bound. */
    public static final class Overflow extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Overflow(int max) {
            super("byte buffer bound of " + max + " exceeded");
        }
    }

    private byte[] b;
    private int len;
    private final int max;

    /** A buffer that may hold at most {@code max} bytes. */
    public ByteBuf(int max) {
        this(Math.min(max, 128), max);
    }

    /** A buffer with an initial capacity and a bound. */
    public ByteBuf(int initial, int max) {
        if (max < 0 || initial < 0) {
            throw new IllegalArgumentException("negative size");
        }
        this.b = new byte[Math.min(initial, max)];
        this.max = max;
    }

    public int length() {
        return len;
    }

    public int max() {
        return max;
    }

    public boolean isEmpty() {
        return len == 0;
    }

    /** The internal array; only the first {@link #length()} bytes are meaningful. */
    public byte[] array() {
        return b;
    }

    public byte byteAt(int i) {
        if (i < 0 || i >= len) {
            throw new IndexOutOfBoundsException(i);
        }
        return b[i];
    }

    public ByteBuf clear() {
        len = 0;
        return this;
    }

    /** Cuts the buffer to its first {@code n} bytes. */
    public ByteBuf truncate(int n) {
        if (n < 0 || n > len) {
            throw new IndexOutOfBoundsException(n);
        }
        len = n;
        return this;
    }

    /** True if {@code n} more bytes fit under the bound. */
    public boolean fits(int n) {
        return n >= 0 && (long) len + n <= max;
    }

    private void ensure(int extra) {
        if (!fits(extra)) {
            throw new Overflow(max);
        }
        int need = len + extra;
        if (need > b.length) {
            long grow = Math.max((long) need, (long) b.length * 2 + 16);
            b = Arrays.copyOf(b, (int) Math.min(grow, max));
        }
    }

    public ByteBuf append(int c) {
        ensure(1);
        b[len++] = (byte) c;
        return this;
    }

    public ByteBuf append(byte[] s) {
        return append(s, 0, s.length);
    }

    public ByteBuf append(byte[] s, int off, int n) {
        ensure(n);
        System.arraycopy(s, off, b, len, n);
        len += n;
        return this;
    }

    public ByteBuf append(ByteBuf s) {
        return append(s.b, 0, s.len);
    }

    /** Appends ASCII text (protocol literals). */
    public ByteBuf append(String ascii) {
        return append(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Appends the decimal form of an unsigned 64-bit value. */
    public ByteBuf appendUlong(long u) {
        return append(Fmt.ulong(u));
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(b, len);
    }

    /** A lossless view of the bytes as a String (ISO-8859-1). */
    @Override
    public String toString() {
        return new String(b, 0, len, StandardCharsets.ISO_8859_1);
    }

    public boolean contentEquals(byte[] s) {
        return Arrays.equals(b, 0, len, s, 0, s.length);
    }

    /** Index of the first {@code c} at or after {@code from}, or -1. */
    public int indexOf(int c, int from) {
        for (int i = Math.max(from, 0); i < len; i++) {
            if (b[i] == (byte) c) {
                return i;
            }
        }
        return -1;
    }
}
