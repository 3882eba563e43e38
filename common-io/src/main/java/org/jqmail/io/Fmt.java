package org.jqmail.io;

/** Decimal formatting as qmail's {@code fmt_ulong}: unsigned, no padding, ASCII. */
public final class Fmt {
    private Fmt() {
    }

    /** The decimal digits of {@code u} read as an unsigned 64-bit value. */
    public static byte[] ulong(long u) {
        return Bytes.ascii(Long.toUnsignedString(u));
    }

    /** Zero-padded decimal of a small non-negative value, at least {@code width} digits. */
    public static byte[] zeroPad(long u, int width) {
        String s = Long.toUnsignedString(u);
        StringBuilder sb = new StringBuilder(Math.max(width, s.length()));
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return Bytes.ascii(sb.append(s).toString());
    }
}
