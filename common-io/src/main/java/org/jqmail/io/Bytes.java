package org.jqmail.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Small operations on byte strings that qmail does with {@code byte_*}, {@code str_*} and
 * {@code case_*}: ASCII-only case folding, searching, conversion from protocol literals.
 */
public final class Bytes {
    private Bytes() {
    }

    /** ASCII text to bytes (protocol literals, control-file names). */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A lossless String view (ISO-8859-1) of the bytes. */
    public static String str(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    public static String str(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** ASCII lower case of one byte: only A-Z fold, as in {@code case_lowerb}. */
    public static byte lower(byte c) {
        return (c >= 'A' && c <= 'Z') ? (byte) (c + 32) : c;
    }

    /** A copy with A-Z folded to a-z. */
    public static byte[] lower(byte[] s) {
        byte[] r = s.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] = lower(r[i]);
        }
        return r;
    }

    /** ASCII case-insensitive equality ({@code case_diffb} == 0). */
    public static boolean equalsIgnoreCase(byte[] a, byte[] b) {
        return a.length == b.length && regionMatchesIgnoreCase(a, 0, b, 0, a.length);
    }

    public static boolean regionMatchesIgnoreCase(byte[] a, int aoff, byte[] b, int boff, int n) {
        if (aoff < 0 || boff < 0 || aoff + n > a.length || boff + n > b.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (lower(a[aoff + i]) != lower(b[boff + i])) {
                return false;
            }
        }
        return true;
    }

    public static boolean startsWith(byte[] s, byte[] prefix) {
        return s.length >= prefix.length && Arrays.equals(s, 0, prefix.length, prefix, 0, prefix.length);
    }

    public static boolean endsWith(byte[] s, byte[] suffix) {
        return s.length >= suffix.length
                && Arrays.equals(s, s.length - suffix.length, s.length, suffix, 0, suffix.length);
    }

    /** Index of the first {@code c}, or -1. */
    public static int indexOf(byte[] s, int c) {
        return indexOf(s, c, 0);
    }

    public static int indexOf(byte[] s, int c, int from) {
        for (int i = Math.max(0, from); i < s.length; i++) {
            if (s[i] == (byte) c) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the last {@code c}, or -1 ({@code byte_rchr} returns length instead). */
    public static int lastIndexOf(byte[] s, int c) {
        for (int i = s.length - 1; i >= 0; i--) {
            if (s[i] == (byte) c) {
                return i;
            }
        }
        return -1;
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n = Math.addExact(n, p.length);
        }
        byte[] r = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, r, off, p.length);
            off += p.length;
        }
        return r;
    }

    public static byte[] sub(byte[] s, int from, int to) {
        return Arrays.copyOfRange(s, from, to);
    }

    public static byte[] sub(byte[] s, int from) {
        return Arrays.copyOfRange(s, from, s.length);
    }
}
