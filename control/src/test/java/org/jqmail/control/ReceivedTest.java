package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReceivedTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String line(String local, String ip, String host, String info, String helo) {
        return new String(Received.line("SMTP", b(local), b(ip), b(host), info == null ? null : b(info),
                helo == null ? null : b(helo), 810362814L), StandardCharsets.ISO_8859_1);
    }

    @Test
    void qmailsOwnExample() {
        assertEquals("Received: from relay1.uu.net (HELO uunet.uu.net) (7@192.48.96.5)\n"
                + "  by silverton.berkeley.edu with SMTP; 6 Sep 1995 04:46:54 -0000\n",
                line("silverton.berkeley.edu", "192.48.96.5", "relay1.uu.net", "7", "uunet.uu.net"));
    }

    @Test
    void withoutHeloAndInfo() {
        assertEquals("Received: from unknown (127.0.0.1)\n  by 127.0.0.1 with SMTP; 6 Sep 1995 04:46:54 -0000\n",
                line("127.0.0.1", "127.0.0.1", "unknown", null, null));
    }

    @Test
    void everyUnsafeByteBecomesAQuestionMark() {
        assertEquals("Received: from h (HELO a?b?c?d?e?[1.2.3.4]?x) (i?n?f?o@1.2.3.4)\n"
                + "  by l?c?l with SMTP; 6 Sep 1995 04:46:54 -0000\n",
                line("l\nc\rl", "1.2.3.4", "h", "i n(f)o", "a b\tc\u00e9d\u0000e([1.2.3.4]_x"));
        assertEquals("Received: from .@%+/=:-azAZ09[] (1)\n  by x with SMTP; 6 Sep 1995 04:46:54 -0000\n",
                line("x", "1", ".@%+/=:-azAZ09[]", null, null));
    }
}
