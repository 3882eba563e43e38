package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubstdioInTest {
    private static SubstdioIn in(String s, int chunk, int bufsize) {
        return new SubstdioIn(new Chunked(s, chunk), bufsize);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64})
    void lineAtLimitMinusOneIsALine(int chunk) throws IOException {
        SubstdioIn ss = in("abcd\nrest", chunk, 4);
        ByteBuf b = new ByteBuf(100);
        assertEquals(SubstdioIn.Line.LINE, ss.getline(b, (byte) '\n', 5));
        assertEquals("abcd", b.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64})
    void lineAtLimitIsALine(int chunk) throws IOException {
        SubstdioIn ss = in("abcde\nrest", chunk, 4);
        ByteBuf b = new ByteBuf(100);
        assertEquals(SubstdioIn.Line.LINE, ss.getline(b, (byte) '\n', 5));
        assertEquals("abcde", b.toString());
        b.clear();
        assertEquals(SubstdioIn.Line.PARTIAL, ss.getline(b, (byte) '\n', 5));
        assertEquals("rest", b.toString());
        b.clear();
        assertEquals(SubstdioIn.Line.EOF, ss.getline(b, (byte) '\n', 5));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64})
    void lineAtLimitPlusOneIsTooLongAndCanBeSkipped(int chunk) throws IOException {
        SubstdioIn ss = in("abcdef\nnext\n", chunk, 4);
        ByteBuf b = new ByteBuf(100);
        assertEquals(SubstdioIn.Line.TOO_LONG, ss.getline(b, (byte) '\n', 5));
        assertEquals("abcde", b.toString());
        assertTrue(ss.skipLine((byte) '\n'));
        b.clear();
        assertEquals(SubstdioIn.Line.LINE, ss.getline(b, (byte) '\n', 5));
        assertEquals("next", b.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 1000})
    void hugeLineNeverGrowsTheBufferPastTheLimit(int chunk) throws IOException {
        String big = "x".repeat(100_000) + "\nok\n";
        SubstdioIn ss = in(big, chunk, 1024);
        ByteBuf b = new ByteBuf(16, 1000);
        assertEquals(SubstdioIn.Line.TOO_LONG, ss.getline(b, (byte) '\n', 1000));
        assertEquals(1000, b.length());
        assertTrue(ss.skipLine((byte) '\n'));
        b.clear();
        assertEquals(SubstdioIn.Line.LINE, ss.getline(b, (byte) '\n', 1000));
        assertEquals("ok", b.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void nulDelimitedRecords(int chunk) throws IOException {
        SubstdioIn ss = in("Fa@b\0Tc@d\0\0", chunk, 3);
        ByteBuf b = new ByteBuf(50);
        assertEquals(SubstdioIn.Line.LINE, ss.getline(b, (byte) 0, 10));
        assertEquals("Fa@b", b.toString());
        b.clear();
        assertEquals(SubstdioIn.Line.LINE, ss.getline(b, (byte) 0, 10));
        assertEquals("Tc@d", b.toString());
        b.clear();
        assertEquals(SubstdioIn.Line.LINE, ss.getline(b, (byte) 0, 10));
        assertEquals("", b.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void bytesAndPeekAndReadFully(int chunk) throws IOException {
        SubstdioIn ss = in("hello world", chunk, 4);
        assertEquals('h', ss.peek());
        assertEquals('h', ss.get());
        byte[] b = new byte[5];
        ss.readFully(b, 0, 5);
        assertEquals("ello ", Bytes.str(b));
        byte[] rest = new byte[10];
        assertThrows(EOFException.class, () -> ss.readFully(rest, 0, 10));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void emptyLinesAndEof(int chunk) throws IOException {
        SubstdioIn ss = in("\n\n", chunk, 2);
        ByteBuf b = new ByteBuf(10);
        assertEquals(SubstdioIn.Line.LINE, ss.getline(b, (byte) '\n', 0));
        assertEquals(SubstdioIn.Line.LINE, ss.getline(b, (byte) '\n', 0));
        assertEquals(SubstdioIn.Line.EOF, ss.getline(b, (byte) '\n', 0));
        assertEquals(0, b.length());
        assertEquals(-1, ss.get());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 64})
    void windowHandsOutTheBufferInPlace(int chunk) throws IOException {
        SubstdioIn ss = in("abcdefg", chunk, 4);
        StringBuilder seen = new StringBuilder();
        assertEquals('a', ss.get());
        for (int n; (n = ss.window()) > 0;) {
            assertTrue(n <= ss.buffered() && n <= 4);
            int take = Math.min(n, 2);
            seen.append(Bytes.str(java.util.Arrays.copyOfRange(ss.array(), ss.position(), ss.position() + take)));
            ss.consume(take);
        }
        assertEquals("bcdefg", seen.toString());
        assertEquals(0, ss.window());
        assertEquals(-1, ss.get());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 64})
    void consumeIsBoundedByWhatIsBuffered(int chunk) throws IOException {
        SubstdioIn ss = in("abc", chunk, 4);
        int n = ss.window();
        assertThrows(IndexOutOfBoundsException.class, () -> ss.consume(n + 1));
        assertThrows(IndexOutOfBoundsException.class, () -> ss.consume(-1));
        ss.consume(n);
        assertEquals(n == 3 ? -1 : 'b', ss.get());
    }
}
