package org.jqmail.qmtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.fuzz.FuzzTarget;

/**
 * qmail-qmqpc's envelope reader (doc/QMTP.md §4) on any bytes: a format error, or the netstrings
 * that qmail-qmqpd reads back as the same sender and recipients.
 */
class QmqpcEnvelopeFuzzTest extends FuzzTarget {
    QmqpcEnvelopeFuzzTest() {
        super("qmqpc-envelope", Qmqpc.Format.class, IOException.class);
    }

    @Override
    protected List<byte[]> dictionary() {
        return List.of(new byte[] {0}, Bytes.ascii("F"), Bytes.ascii("T"));
    }

    @Override
    protected void fuzz(byte[] input) throws Exception {
        byte[] after = Qmqpc.envelope(new ByteArrayInputStream(input));
        // Read back as qmail-qmqpd would: the comma, then address netstrings to the end.
        Wire w = new Wire(new SubstdioIn(new ByteArrayInputStream(after), 64));
        w.budget(after.length);
        assertEquals(',', w.get());
        int lines = 0;
        while (w.budget() > 0) {
            long n = w.length();
            w.skip(n);
            w.comma();
            lines++;
        }
        int expected = 0;
        int p = 0;
        while (p < input.length && input[p] != 0) {
            int z = Bytes.indexOf(input, 0, p);
            expected++;
            p = z + 1;
        }
        assertEquals(expected, lines);
    }
}
