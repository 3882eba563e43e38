package org.jqmail.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.jqmail.control.QueueProtocol;
import org.jqmail.io.SubstdioIn;
import org.junit.jupiter.api.Test;

class FramedTest {
    private static byte[] frame(int... lens) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] h = new byte[4];
        for (int n : lens) {
            QueueProtocol.be32(h, 0, n);
            o.write(h, 0, 4);
            for (int i = 0; i < n; i++) {
                o.write('a' + (i % 26));
            }
        }
        return o.toByteArray();
    }

    private static byte[] drain(byte[] wire, int readSize) throws IOException {
        Submission.Framed f = new Submission.Framed(new SubstdioIn(new ByteArrayInputStream(wire), 5));
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] b = new byte[readSize];
        int n;
        while ((n = f.read(b, 0, b.length)) >= 0) {
            o.write(b, 0, n);
        }
        return o.toByteArray();
    }

    @Test
    void chunksAreJoinedAndZeroLengthEnds() throws IOException {
        assertArrayEquals("abcabcdefg".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                drain(frame(3, 7, 0, 5), 2));
    }

    @Test
    void largestChunkIsAcceptedAndOneMoreIsNot() throws IOException {
        assertEquals(QueueProtocol.CHUNK_MAX, drain(frame(QueueProtocol.CHUNK_MAX, 0), 4096).length);
        assertThrows(IOException.class, () -> drain(frame(QueueProtocol.CHUNK_MAX + 1, 0), 4096));
    }

    @Test
    void negativeLengthAndTruncationAreErrors() {
        assertThrows(IOException.class, () -> drain(new byte[] {(byte) 0xff, 0, 0, 1}, 8));
        byte[] cut = frame(10);
        assertThrows(EOFException.class, () -> drain(java.util.Arrays.copyOf(cut, 8), 8));
        assertThrows(EOFException.class, () -> drain(new byte[] {0, 0}, 8));
    }
}
