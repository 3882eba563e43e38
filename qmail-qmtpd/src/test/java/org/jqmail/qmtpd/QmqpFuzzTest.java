package org.jqmail.qmtpd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;
import org.jqmail.io.fuzz.FuzzTarget;

/**
 * qmail-qmqpd's session on any bytes (doc/QMTP.md §3): it answers once, with a K, Z or D
 * netstring, or ends through {@link Quit} without a word; a message it accepted had a sender and
 * recipients of fewer than 1000 bytes and no NUL.
 */
class QmqpFuzzTest extends FuzzTarget {
    QmqpFuzzTest() {
        super("qmqp", Quit.class);
    }

    @Override
    protected List<byte[]> dictionary() {
        return List.of(Bytes.ascii(":"), Bytes.ascii(","), Bytes.ascii("0:,"), Bytes.ascii("999:"));
    }

    @Override
    protected void fuzz(byte[] input) throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        SubstdioOut out = new SubstdioOut(sent, 256);
        Recorder q = new Recorder();
        new Qmqpd(new Wire(new SubstdioIn(new ByteArrayInputStream(input), 512)), out, q, new Remote(Map.of()),
                () -> 1765123456L).run();
        QmtpFuzzTest.Answers.check(sent.toByteArray());
        assertTrue(sent.size() > 0);
        for (Recorder.Sub s : q.subs) {
            if (!s.failed) {
                assertTrue(s.from.length < Qmtpd.ADDR && Bytes.indexOf(s.from, 0) < 0);
                for (byte[] r : s.to) {
                    assertTrue(r.length < Qmtpd.ADDR && Bytes.indexOf(r, 0) < 0);
                }
            }
        }
    }
}
