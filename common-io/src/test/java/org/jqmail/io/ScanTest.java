package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScanTest {
    @Test
    void scanUlongConsumesLeadingDigitsOnly() {
        long[] v = new long[1];
        byte[] s = Bytes.ascii("1234abc");
        assertEquals(4, Scan.ulong(s, 0, s.length, v));
        assertEquals(1234, v[0]);
        assertEquals(0, Scan.ulong(Bytes.ascii("x1"), 0, 2, v));
        assertEquals(0, v[0]);
    }

    @Test
    void scanUlongWrapsModulo2To64LikeQmail() {
        long[] v = new long[1];
        // 2^64 + 5 = 18446744073709551621
        byte[] s = Bytes.ascii("18446744073709551621");
        assertEquals(20, Scan.ulong(s, 0, s.length, v));
        assertEquals(5, v[0]);
        byte[] max = Bytes.ascii("18446744073709551615");
        Scan.ulong(max, 0, max.length, v);
        assertEquals("18446744073709551615", Long.toUnsignedString(v[0]));
    }

    @Test
    void checkedScanRefusesAtLongMaxPlusOne() {
        long[] v = new long[1];
        byte[] ok = Bytes.ascii("9223372036854775807");
        assertEquals(19, Scan.ulongChecked(ok, 0, ok.length, v));
        assertEquals(Long.MAX_VALUE, v[0]);
        byte[] over = Bytes.ascii("9223372036854775808");
        assertEquals(-1, Scan.ulongChecked(over, 0, over.length, v));
    }

    @Test
    void strictNeedsOnlyDigits() {
        assertEquals(42, Scan.strict("42"));
        assertEquals(-1, Scan.strict(""));
        assertEquals(-1, Scan.strict("4 2"));
        assertEquals(-1, Scan.strict("-1"));
        assertEquals(-1, Scan.strict("99999999999999999999"));
    }

    @Test
    void cIntKeepsTheLow32BitsAsQmailsIntDoes() {
        assertEquals(10, Scan.cInt(Bytes.ascii("10 concurrent"), 7));
        assertEquals(7, Scan.cInt(Bytes.ascii(" 10"), 7));
        assertEquals(7, Scan.cInt(Bytes.ascii(""), 7));
        // 4294967297 = 2^32 + 1 → 1 in a 32-bit int
        assertEquals(1, Scan.cInt(Bytes.ascii("4294967297"), 7));
        // 2147483648 = 2^31 → INT_MIN
        assertEquals(Integer.MIN_VALUE, Scan.cInt(Bytes.ascii("2147483648"), 7));
    }

    @Test
    void fmtIsUnsignedDecimal() {
        assertArrayEquals(Bytes.ascii("0"), Fmt.ulong(0));
        assertArrayEquals(Bytes.ascii("18446744073709551615"), Fmt.ulong(-1L));
        assertArrayEquals(Bytes.ascii("007"), Fmt.zeroPad(7, 3));
        assertArrayEquals(Bytes.ascii("1234"), Fmt.zeroPad(1234, 2));
    }
}
