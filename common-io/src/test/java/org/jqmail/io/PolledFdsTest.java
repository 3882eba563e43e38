package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;
import org.junit.jupiter.api.Test;

/**
 * Streams on two pipes, as the listener gets them through recordio: data both ways, end of
 * input, and the deadlines of a read without input and of a write the peer does not take.
 */
class PolledFdsTest {
    private static final Posix PX = Nat.posix();

    @Test
    void bytesBothWaysThenEndOfInput() throws IOException {
        int[] toUs = PX.pipe();
        int[] fromUs = PX.pipe();
        try (PolledFds p = new PolledFds(PX, toUs[0], fromUs[1])) {
            p.timeoutMillis(5000);
            PX.write(toUs[1], new byte[] {'a', 'b', 'c'}, 0, 3);
            byte[] b = new byte[8];
            assertEquals(3, p.in().read(b, 0, 8));
            p.out().write(new byte[] {'x', 'y'});
            byte[] got = new byte[2];
            assertEquals(2, PX.read(fromUs[0], got, 0, 2));
            assertArrayEquals(new byte[] {'x', 'y'}, got);
            PX.close(toUs[1]);
            assertEquals(-1, p.in().read(b, 0, 8));
        } finally {
            PX.close(fromUs[0]);
        }
    }

    @Test
    void aReadWithoutInputAndAWriteNobodyTakesTimeOut() throws IOException {
        int[] toUs = PX.pipe();
        int[] fromUs = PX.pipe();
        try (PolledFds p = new PolledFds(PX, toUs[0], fromUs[1])) {
            p.timeoutMillis(50);
            assertThrows(SocketTimeoutException.class, () -> p.in().read(new byte[8], 0, 8));
            OutputStream o = p.out();
            byte[] big = new byte[1 << 20];
            assertThrows(InterruptedIOException.class, () -> o.write(big));
        } finally {
            PX.close(toUs[1]);
            PX.close(fromUs[0]);
        }
    }
}
