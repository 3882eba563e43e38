package org.jqmail.qmtpd;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.jqmail.control.RcptHosts;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;
import org.jqmail.io.fuzz.FuzzTarget;

/**
 * qmail-qmtpd's session on any bytes (doc/QMTP.md §2): it ends only through {@link Quit}, and
 * what it wrote is a sequence of netstrings, each an answer starting with K, Z or D.
 */
class QmtpFuzzTest extends FuzzTarget {
    QmtpFuzzTest() {
        super("qmtp");
    }

    @Override
    protected List<byte[]> dictionary() {
        return List.of(Bytes.ascii(":"), Bytes.ascii(","), Bytes.ascii(":\n"), Bytes.ascii(":\r"),
                Bytes.ascii("@test.example"), Bytes.ascii("2000000009:"));
    }

    @Override
    protected void fuzz(byte[] input) throws Exception {
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        SubstdioOut out = new SubstdioOut(sent, 256);
        Wire in = new Wire(new SubstdioIn(Wire.flushing(new ByteArrayInputStream(input), out), 512));
        Recorder q = new Recorder();
        Qmtpd s = new Qmtpd(in, out, q, RcptHosts.of(List.of(Bytes.ascii("test.example")), null), null, 1000,
                new Remote(Map.of()), () -> 1765123456L);
        Quit end = null;
        try {
            s.run();
        } catch (Quit e) {
            end = e;
        }
        assertTrue(end != null && (end.code == 0 || end.code == 100 || end.code == 111));
        out.flush();
        Answers.check(sent.toByteArray());
    }

    /** Netstrings of K/Z/D answers, and nothing else. */
    static final class Answers {
        static void check(byte[] b) {
            int i = 0;
            while (i < b.length) {
                long len = 0;
                int start = i;
                while (b[i] != ':') {
                    assertTrue(b[i] >= '0' && b[i] <= '9', new String(b, ISO_8859_1));
                    len = len * 10 + (b[i++] - '0');
                }
                assertTrue(i > start);
                i++;
                assertTrue(len > 0 && "KZD".indexOf(b[i]) >= 0, new String(b, ISO_8859_1));
                i += (int) len;
                assertEquals(',', b[i++]);
            }
        }
    }
}
