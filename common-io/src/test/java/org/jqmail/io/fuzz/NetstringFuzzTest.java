package org.jqmail.io.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.io.Netstring;
import org.jqmail.io.SubstdioIn;

/** Netstrings (QMQP, the handoff record): any bytes read or refused, and read(encode(x)) == x. */
class NetstringFuzzTest extends FuzzTarget {
    NetstringFuzzTest() {
        super("netstring", IOException.class);
    }

    @Override
    protected void fuzz(byte[] input) throws IOException {
        SubstdioIn in = new SubstdioIn(new ByteArrayInputStream(input), 64);
        List<byte[]> got = new ArrayList<>();
        try {
            while (in.peek() >= 0) {
                got.add(Netstring.read(in, 1 << 20));
            }
        } finally {
            for (byte[] s : got) {
                byte[] again = Netstring.read(new SubstdioIn(new ByteArrayInputStream(Netstring.encode(s)), 16), s.length);
                assertArrayEquals(s, again);
            }
        }
    }
}
