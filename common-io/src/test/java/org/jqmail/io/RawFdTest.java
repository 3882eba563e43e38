package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;
import org.junit.jupiter.api.Test;

/** {@link RawFd} on a real pipe: bytes through, end of file, errno on a bad descriptor. */
class RawFdTest {
    private static final Posix PX = Nat.posix();

    @Test
    void bytesWrittenOnOneEndAreReadOnTheOtherThenEndOfFile() throws IOException {
        int[] p = PX.pipe();
        try {
            OutputStream out = RawFd.out(p[1]);
            InputStream in = RawFd.in(p[0]);
            out.write(new byte[] {0, 'a', (byte) 0xff, 'b'}, 1, 2);
            out.write(0);
            PX.close(p[1]);
            p[1] = -1;
            byte[] b = new byte[8];
            assertEquals(0, in.read(b, 0, 0));
            assertEquals(3, in.readNBytes(b, 0, 8));
            assertArrayEquals(new byte[] {'a', (byte) 0xff, 0}, Arrays.copyOf(b, 3));
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(b, 0, 8));
        } finally {
            PX.close(p[0]);
            if (p[1] >= 0) {
                PX.close(p[1]);
            }
        }
    }

    @Test
    void anInvalidDescriptorGivesEbadf() {
        Errors.ErrnoException e = assertThrows(Errors.ErrnoException.class, () -> RawFd.in(PX, -1).read());
        assertEquals(Errors.EBADF, e.errno());
        e = assertThrows(Errors.ErrnoException.class, () -> RawFd.out(PX, -1).write('x'));
        assertEquals(Errors.EBADF, e.errno());
    }

    @Test
    void boundsAreChecked() throws IOException {
        int[] p = PX.pipe();
        try {
            assertThrows(IndexOutOfBoundsException.class, () -> RawFd.in(p[0]).read(new byte[2], 1, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> RawFd.out(p[1]).write(new byte[2], 2, 1));
        } finally {
            PX.close(p[0]);
            PX.close(p[1]);
        }
    }
}
