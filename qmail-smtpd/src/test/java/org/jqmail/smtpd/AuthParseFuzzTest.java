package org.jqmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import org.jqmail.io.Bytes;
import org.jqmail.io.fuzz.FuzzTarget;

/**
 * The SMTP AUTH parsers (doc/TLS.md §4): any line is decoded or refused with null, never an
 * exception; what decodes encodes back to a line of the same length that decodes the same, and a PLAIN message's user and
 * password hold no NUL.
 */
class AuthParseFuzzTest extends FuzzTarget {
    AuthParseFuzzTest() {
        super("smtp-auth");
    }

    @Override
    protected List<byte[]> dictionary() {
        return List.of(Bytes.ascii("="), Bytes.ascii("=="), Bytes.ascii("AA"), Bytes.ascii("+/"), new byte[] {0});
    }

    @Override
    protected void fuzz(byte[] input) {
        byte[] d = AuthParse.base64(input, 0, input.length);
        if (d != null) {
            // Non-zero unused bits in the last character are accepted (the JDK's decoder), so
            // the property is on the decoded bytes and the length, not the exact characters.
            byte[] again = Bytes.ascii(Base64.getEncoder().encodeToString(d));
            assertEquals(input.length, again.length);
            assertArrayEquals(d, AuthParse.base64(again, 0, again.length));
        }
        byte[][] p = AuthParse.plain(AuthParse.base64(input, 0, input.length));
        if (p != null) {
            assertEquals(2, p.length);
            assertTrue(p[0].length > 0 && Bytes.indexOf(p[0], 0) < 0 && Bytes.indexOf(p[1], 0) < 0);
        }
        p = AuthParse.plain(input);
        if (p != null) {
            assertTrue(p[0].length > 0 && Bytes.indexOf(p[0], 0) < 0 && Bytes.indexOf(p[1], 0) < 0);
        }
        byte[] l = AuthParse.login(input, 0, input.length);
        if (l != null) {
            assertTrue(Bytes.indexOf(l, 0) < 0);
        }
    }
}
