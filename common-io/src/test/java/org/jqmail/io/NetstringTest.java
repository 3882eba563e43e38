package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetstringTest {
    private static SubstdioIn in(String s, int chunk) {
        return new SubstdioIn(new Chunked(s, chunk), 8);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 100})
    void readsNetstringsInFragments(int chunk) throws IOException {
        SubstdioIn ss = in("5:hello,0:,", chunk);
        assertEquals("hello", Bytes.str(Netstring.read(ss, 100)));
        assertEquals("", Bytes.str(Netstring.read(ss, 100)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100})
    void lengthAtLimitIsAcceptedAndAboveIsRefusedBeforeAllocation(int chunk) throws IOException {
        assertEquals(4, Netstring.read(in("4:abcd,", chunk), 4).length);
        assertEquals(3, Netstring.read(in("3:abc,", chunk), 4).length);
        assertThrows(Netstring.TooLongException.class, () -> Netstring.read(in("5:abcde,", chunk), 4));
        assertThrows(Netstring.TooLongException.class,
                () -> Netstring.readLength(in("99999999999999999999999:", chunk), 200_000_000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a:", ":", "1x:a,", " 1:a,", "2:ab;"})
    void malformedFramingIsAFormatError(String s) {
        assertThrows(Netstring.FormatException.class, () -> Netstring.read(in(s, 1), 100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "3:ab", "3"})
    void truncatedInputIsEof(String s) {
        assertThrows(EOFException.class, () -> Netstring.read(in(s, 1), 100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "hello, world"})
    void encodeRoundTrips(String s) throws IOException {
        byte[] enc = Netstring.encode(Bytes.ascii(s));
        assertArrayEquals(Bytes.ascii(s), Netstring.read(new SubstdioIn(new Chunked(enc, 1), 4), 100));
    }
}
