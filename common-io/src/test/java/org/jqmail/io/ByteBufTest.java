package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ByteBufTest {
    @Test
    void appendsUpToTheBoundAndNotOneByteMore() {
        ByteBuf b = new ByteBuf(1, 4);
        b.append("abc");
        assertTrue(b.fits(1));
        b.append('d');
        assertEquals("abcd", b.toString());
        assertFalse(b.fits(1));
        assertThrows(ByteBuf.Overflow.class, () -> b.append('e'));
        assertEquals(4, b.length());
    }

    @Test
    void fitsRejectsNegativeAndOverflowingSizes() {
        ByteBuf b = new ByteBuf(10);
        assertFalse(b.fits(-1));
        assertFalse(b.fits(Integer.MAX_VALUE));
        b.append("x");
        assertFalse(b.fits(Integer.MAX_VALUE));
    }

    @Test
    void truncateAndIndexOf() {
        ByteBuf b = new ByteBuf(100).append("a@b@c");
        assertEquals(1, b.indexOf('@', 0));
        assertEquals(3, b.indexOf('@', 2));
        b.truncate(2);
        assertEquals("a@", b.toString());
        assertThrows(IndexOutOfBoundsException.class, () -> b.truncate(3));
    }
}
