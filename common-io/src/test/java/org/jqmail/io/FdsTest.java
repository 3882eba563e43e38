package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;
import org.junit.jupiter.api.Test;

class FdsTest {
    /** JDK 17's FileInputStream.readAllBytes seeks first and fails on a pipe with ESPIPE. */
    @Test
    void pipeStreamReadsAllBytesAndSkipsWithoutSeeking() throws IOException {
        Posix px = Nat.posix();
        int[] p = px.pipe();
        try (InputStream in = Fds.in(p[0])) {
            byte[] data = {'a', 'b', 'c', 'd', 0, (byte) 0xff};
            px.write(p[1], data, 0, data.length);
            px.close(p[1]);
            assertEquals(2, in.skip(2));
            assertArrayEquals(new byte[] {'c'}, in.readNBytes(1));
            assertArrayEquals(new byte[] {'d', 0, (byte) 0xff}, in.readAllBytes());
            assertEquals(-1, in.read());
        } finally {
            px.close(p[0]);
        }
    }

    @Test
    void devFdNamesTheDescriptor() {
        assertEquals("/dev/fd/6", Fds.devFd(6));
    }
}
