package org.jqmail.io.nat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;

class CStrTest {
    @Test
    void stringsCrossAsTheirIso88591Bytes() {
        assertArrayEquals(new byte[] {'a', 'b', 0}, CStr.of("ab"));
        assertArrayEquals(new byte[] {0}, CStr.of(""));
        assertArrayEquals(new byte[] {(byte) 0xe9, (byte) 0xff, 0}, CStr.of("\u00e9\u00ff"));
    }

    @Test
    void stringsWithoutAByteViewAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> CStr.of("a\0b"));
        assertThrows(IllegalArgumentException.class, () -> CStr.of("\u0100"));
        assertThrows(IllegalArgumentException.class, () -> CStr.of("\u20ac"));
    }

    @Test
    void vectorIsNullTerminatedAndReadsBack() {
        Runtime rt = Runtime.getSystemRuntime();
        Pointer v = CStr.vector(rt, List.of("sh", "", "caf\u00e9"));
        int w = rt.addressSize();
        assertEquals("sh", CStr.read(v.getPointer(0)));
        assertEquals("", CStr.read(v.getPointer(w)));
        assertEquals("caf\u00e9", CStr.read(v.getPointer(2L * w)));
        assertNull(CStr.read(v.getPointer(3L * w)));
        Pointer empty = CStr.vector(rt, List.of());
        assertNull(CStr.read(empty.getPointer(0)));
    }
}
