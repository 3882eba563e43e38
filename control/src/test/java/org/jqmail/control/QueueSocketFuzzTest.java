package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.fuzz.FuzzTarget;

/**
 * A submission on the queue socket as qmail-queued decodes it (header, chunks, envelope): any
 * bytes decode or are refused with an IOException, and a decoded submission encoded again (in
 * other chunk sizes) decodes to the same.
 */
class QueueSocketFuzzTest extends FuzzTarget {
    QueueSocketFuzzTest() {
        super("queue-socket", IOException.class);
    }

    @Override
    protected List<byte[]> dictionary() {
        return List.of(QueueProtocol.MAGIC, QueueProtocol.MAGIC_MANY, QueueProtocol.END, new byte[] {0, 0, 0, 1},
                new byte[] {0, 1, 0, 0}, new byte[] {0, 1, 0, 1}, new byte[] {(byte) 0x80, 0, 0, 0},
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, new byte[] {'F'}, new byte[] {0, 'T'});
    }

    private record Submission(QueueProtocol.Magic magic, long qp, byte[] message, Envelope envelope) {
    }

    private static Submission decode(byte[] wire) throws IOException {
        SubstdioIn in = new SubstdioIn(new ByteArrayInputStream(wire), 64);
        byte[] head = new byte[QueueProtocol.HEADER_LEN];
        in.readFully(head, 0, head.length);
        QueueProtocol.Magic magic = QueueProtocol.magic(head);
        if (magic == null) {
            throw new IOException("no magic");
        }
        QueueProtocol.Chunks chunks = new QueueProtocol.Chunks(in);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        byte[] b = new byte[100];
        for (int n; (n = chunks.read(b, 0, b.length)) >= 0;) {
            message.write(b, 0, n);
        }
        return new Submission(magic, QueueProtocol.qp(head), message.toByteArray(), Envelope.read(in, null));
    }

    private static byte[] encode(Submission s, int chunk) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(QueueProtocol.header(s.magic() == QueueProtocol.Magic.MANY, s.qp()));
        byte[] hdr = new byte[4];
        for (int off = 0; off < s.message().length; off += chunk) {
            int n = Math.min(chunk, s.message().length - off);
            QueueProtocol.chunkLength(hdr, n);
            o.write(hdr);
            o.write(s.message(), off, n);
        }
        o.write(QueueProtocol.END);
        o.write(s.envelope().encode());
        return o.toByteArray();
    }

    @Override
    protected void fuzz(byte[] input) throws IOException {
        Submission s = decode(input);
        Submission again = decode(encode(s, 1 + s.message().length % 7));
        assertEquals(s.magic(), again.magic());
        assertEquals(s.qp(), again.qp());
        assertArrayEquals(s.message(), again.message());
        assertArrayEquals(s.envelope().encode(), again.envelope().encode());
    }
}
