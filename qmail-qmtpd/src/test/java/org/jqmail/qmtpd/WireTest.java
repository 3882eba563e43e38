package org.jqmail.qmtpd;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.jqmail.io.SubstdioIn;
import org.junit.jupiter.api.Test;

class WireTest {
    static Wire wire(String s) {
        return new Wire(new SubstdioIn(new ByteArrayInputStream(s.getBytes(ISO_8859_1)), 3));
    }

    static int quit(String s) {
        return assertThrows(Quit.class, () -> {
            Wire w = wire(s);
            w.length();
            w.comma();
        }).code;
    }

    @Test
    void lengthsAreReadAsQmailReadsThem() throws Quit {
        assertEquals(0, wire(":").length());
        assertEquals(12, wire("012:").length());
        assertEquals(2000000009L, wire("2000000009:").length());
        assertEquals(Quit.RESOURCES, quit("2000000010:"));
        assertEquals(Quit.BADPROTO, quit("1a:"));
        assertEquals(Quit.BADPROTO, quit("-1:"));
        assertEquals(Quit.EOF, quit("12"));
        assertEquals(Quit.BADPROTO, quit("0:;"));
        assertEquals(Quit.EOF, quit("0:"));
    }

    @Test
    void aBudgetEndsTheSessionWith100() throws Quit {
        Wire w = wire("2:ab,");
        w.budget(4);
        assertEquals(2, w.length());
        byte[] b = new byte[8];
        int got = 0;
        while (got < 2) {
            got += w.read(b, 2 - got);
        }
        assertEquals(0, w.budget());
        assertEquals(Quit.BADPROTO, assertThrows(Quit.class, w::comma).code);
    }

    @Test
    void ipScanIsQmails() {
        assertArrayEquals(new byte[] {127, 0, 62, 1}, Qmqpc.ip("127.0.62.1".getBytes(ISO_8859_1)));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Qmqpc.ip("257.2.3.4:628 trailing".getBytes(ISO_8859_1)));
        assertNull(Qmqpc.ip("1.2.3".getBytes(ISO_8859_1)));
        assertNull(Qmqpc.ip("host.example".getBytes(ISO_8859_1)));
    }

    @Test
    void theEnvelopeBecomesQmqpNetstrings() throws IOException, Qmqpc.Format {
        assertEquals(",3:a@b,3:c@d,0:,", new String(Qmqpc.envelope(new ByteArrayInputStream(
                "Fa@b\0Tc@d\0T\0\0rest".getBytes(ISO_8859_1))), ISO_8859_1));
        assertEquals(",0:,", new String(Qmqpc.envelope(new ByteArrayInputStream("F\0\0".getBytes(ISO_8859_1))),
                ISO_8859_1));
    }
}
