package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;
import org.junit.jupiter.api.Test;

/** The queue socket's codec, byte for byte, as client and server both use it. */
class QueueProtocolTest {
    @Test
    void headersAreTheMagicAndTheQpBigEndian() {
        assertArrayEquals(new byte[] {'Q', 'Q', '1', 1, 2, 3, 4}, QueueProtocol.header(false, 0x01020304L));
        assertArrayEquals(new byte[] {'Q', 'Q', '2', 0, 0, 0, 0}, QueueProtocol.header(true, 0));
        byte[] h = QueueProtocol.header(false, 0xfffffffeL);
        assertEquals(QueueProtocol.Magic.ONE, QueueProtocol.magic(h));
        assertEquals(0xfffffffeL, QueueProtocol.qp(h));
        assertEquals(QueueProtocol.Magic.MANY, QueueProtocol.magic(QueueProtocol.header(true, 9)));
        assertNull(QueueProtocol.magic(new byte[] {'Q', 'Q', '3', 0, 0, 0, 0}));
    }

    @Test
    void answersAreCodeQpAndTextLength() {
        byte[] a = QueueProtocol.answer(82, 0x80000001L);
        assertArrayEquals(new byte[] {82, (byte) 0x80, 0, 0, 1, 0}, a);
        assertEquals(new QueueProtocol.Answer(82, 0x80000001L, 0), QueueProtocol.answer(a));
        assertEquals(new QueueProtocol.Answer(255, 0, 255),
                QueueProtocol.answer(new byte[] {(byte) 255, 0, 0, 0, 0, (byte) 255}));
    }

    @Test
    void chunksEndAtTheZeroLength() throws IOException {
        byte[] wire = Bytes.concat(new byte[] {0, 0, 0, 3}, Bytes.ascii("abc"), new byte[] {0, 0, 0, 1},
                Bytes.ascii("d"), QueueProtocol.END, Bytes.ascii("Fs"));
        QueueProtocol.Chunks c = new QueueProtocol.Chunks(new SubstdioIn(new ByteArrayInputStream(wire), 5));
        byte[] b = new byte[10];
        int n = 0;
        int r;
        while ((r = c.read(b, n, b.length - n)) > 0) {
            n += r;
        }
        assertEquals("abcd", Bytes.str(b, 0, n));
        assertEquals(-1, c.read(b, 0, 1));
    }

    @Test
    void envelopeRecordsAreTypeAddressNul() {
        assertArrayEquals(Bytes.ascii("Fa@b\0"), Envelope.record('F', Bytes.ascii("a@b")));
        assertArrayEquals(Bytes.ascii("T\0"), Envelope.record('T', new byte[0]));
        assertArrayEquals(new byte[] {0}, Envelope.END);
    }
}
