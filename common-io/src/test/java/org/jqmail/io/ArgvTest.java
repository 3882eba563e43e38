package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArgvTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void lastArgumentsOfTheCommandLineKeepTheirBytes() {
        byte[] cmdline = b("java\0-cp\0x\0Main\0host\0s\u00e9@x\0r@y\0");
        byte[][] a = Argv.split(cmdline, new String[] {"host", "s?@x", "r@y"});
        assertArrayEquals(b("host"), a[0]);
        assertArrayEquals(b("s\u00e9@x"), a[1]);
        assertArrayEquals(b("r@y"), a[2]);
    }

    @Test
    void emptyArgumentsCount() {
        byte[][] a = Argv.split(b("java\0Main\0h\0\0r\0"), new String[] {"h", "", "r"});
        assertArrayEquals(b(""), a[1]);
    }

    @Test
    void mismatchOnAPlainArgumentFallsBack() {
        assertNull(Argv.split(b("java\0Main\0other\0r\0"), new String[] {"host", "r"}));
    }

    @Test
    void tooFewStringsOrUnterminatedFallsBack() {
        assertNull(Argv.split(b("a\0"), new String[] {"a", "b"}));
        assertNull(Argv.split(b("a\0b"), new String[] {"b"}));
    }

    @Test
    void noArguments() {
        assertArrayEquals(new byte[0][], Argv.split(b("java\0Main\0"), new String[0]));
    }

    @Test
    void bytesOfThisProcessMatchItsArguments() {
        assertArrayEquals(new byte[0][], Argv.bytes(new String[0]));
    }
}
