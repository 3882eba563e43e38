package org.jqmail.io;

/**
 * Decimal number scanning as qmail's {@code scan_ulong} does it, and a strict variant.
 *
 * <p>{@link #ulong} reproduces {@code scan_ulong} exactly: it consumes leading ASCII digits and
 * computes their value modulo 2<sup>64</sup> (an unsigned {@code long}), returning how many
 * digits it consumed. Callers that need to refuse overflow use {@link #ulongChecked} or
 * {@link #strict}.
 */
public final class Scan {
    private Scan() {
    }

    /**
     * Scans leading digits of {@code s[off..end)}. Stores the value (mod 2^64, unsigned) in
     * {@code out[0]} and returns the number of digits consumed (0 if none).
     */
    public static int ulong(byte[] s, int off, int end, long[] out) {
        long u = 0;
        int i = off;
        while (i < end) {
            int c = s[i] - '0';
            if (c < 0 || c > 9) {
                break;
            }
            u = u * 10 + c;
            i++;
        }
        out[0] = u;
        return i - off;
    }

    /**
     * Like {@link #ulong} but stops and returns -1 if the value would exceed
     * {@link Long#MAX_VALUE}. Returns the number of digits consumed otherwise.
     */
    public static int ulongChecked(byte[] s, int off, int end, long[] out) {
        long u = 0;
        int i = off;
        while (i < end) {
            int c = s[i] - '0';
            if (c < 0 || c > 9) {
                break;
            }
            if (u > (Long.MAX_VALUE - c) / 10) {
                return -1;
            }
            u = u * 10 + c;
            i++;
        }
        out[0] = u;
        return i - off;
    }

    /**
     * The value of a string made only of decimal digits, or -1 if it is empty, has any other
     * byte, or exceeds {@link Long#MAX_VALUE}.
     */
    public static long strict(byte[] s) {
        long[] v = new long[1];
        int n = ulongChecked(s, 0, s.length, v);
        return (n <= 0 || n != s.length) ? -1 : v[0];
    }

    /** {@link #strict} for ASCII text such as argv. */
    public static long strict(String s) {
        return strict(Bytes.ascii(s));
    }

    /**
     * qmail's {@code readint}-style reading of a control value: leading digits only, stored
     * into a C {@code int} (the low 32 bits, as a signed value). Returns {@code dflt} if there
     * are no leading digits.
     */
    public static int cInt(byte[] s, int dflt) {
        long[] v = new long[1];
        if (ulong(s, 0, s.length, v) == 0) {
            return dflt;
        }
        return (int) v[0];
    }
}
