package org.jqmail.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jqmail.control.Failure;
import org.jqmail.io.Bytes;
import org.jqmail.io.fuzz.FuzzTarget;

/**
 * qmail-remote's QMTP client on any answer bytes (doc/QMTP.md §7): the run ends with a K text
 * or a Z/D failure, and the records it wrote are either none or one r/h/s per recipient, with no
 * NUL inside a record.
 */
class QmtpReplyFuzzTest extends FuzzTarget {
    static final byte[] MESSAGE = Bytes.ascii("Subject: f\n\nbody\n");

    QmtpReplyFuzzTest() {
        super("qmtp-reply");
    }

    @Override
    protected List<byte[]> dictionary() {
        return List.of(Bytes.ascii(":K"), Bytes.ascii(":Z"), Bytes.ascii(":D"), Bytes.ascii(","),
                Bytes.ascii("5000:"), Bytes.ascii("99999999999999999999:"));
    }

    @Override
    protected void fuzz(byte[] input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Reports reports = new Reports(out);
        Qmtp q = new Qmtp(new Peer(input), reports, FakeResolver.ip("192.0.2.1"));
        byte last;
        byte[] text;
        try {
            text = q.run(Bytes.ascii("a@b"), List.of(Bytes.ascii("x@y"), Bytes.ascii("z@y")),
                    new ByteArrayInputStream(MESSAGE), MESSAGE.length);
            last = 'K';
        } catch (Failure f) {
            last = f.letter();
            text = f.text();
        }
        reports.message(last, text);
        byte[] o = out.toByteArray();
        int records = 0;
        int start = 0;
        for (int i = 0; i < o.length; i++) {
            if (o[i] == 0) {
                records++;
                byte letter = o[start];
                boolean isLast = i == o.length - 1;
                assertTrue(isLast ? "KZD".indexOf(letter) >= 0 : "rhs".indexOf(letter) >= 0,
                        new String(o, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        assertEquals(0, o[o.length - 1]);
        assertTrue(records == 1 || records == 3, new String(o, StandardCharsets.ISO_8859_1));
        assertTrue(last != 'K' || records == 3);
    }

    /** A peer that answers with {@code input} in 5-byte pieces and takes whatever is sent. */
    static final class Peer implements Connector.Connection {
        private final byte[] input;
        private int pos;

        Peer(byte[] input) {
            this.input = input;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos == input.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 5), input.length - pos);
            System.arraycopy(input, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }

        @Override
        public void close() {
        }
    }
}
