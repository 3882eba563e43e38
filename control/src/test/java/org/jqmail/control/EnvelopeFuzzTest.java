package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.fuzz.FuzzTarget;

/** Envelopes (qmail-queue's fd 1, the queue socket's tail): read or refused, read(encode(e)) == e. */
class EnvelopeFuzzTest extends FuzzTarget {
    EnvelopeFuzzTest() {
        super("envelope", Envelope.BadEnvelope.class);
    }

    @Override
    protected List<byte[]> dictionary() {
        return List.of(new byte[] {'F'}, new byte[] {'T'}, new byte[] {0, 'T'}, new byte[] {0, 0});
    }

    @Override
    protected void fuzz(byte[] input) throws IOException {
        Envelope e = Envelope.read(new SubstdioIn(new ByteArrayInputStream(input), 64), null);
        for (byte[] r : e.recipients()) {
            assertTrue(r.length <= Envelope.ADDR_MAX);
        }
        Envelope again = Envelope.read(new SubstdioIn(new ByteArrayInputStream(e.encode()), 64), null);
        assertArrayEquals(e.sender(), again.sender());
        assertEquals(e.recipients().size(), again.recipients().size());
        for (int i = 0; i < e.recipients().size(); i++) {
            assertArrayEquals(e.recipients().get(i), again.recipients().get(i));
        }
    }
}
