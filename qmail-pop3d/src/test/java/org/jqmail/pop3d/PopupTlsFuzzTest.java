package org.jqmail.pop3d;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jqmail.io.Bytes;
import org.jqmail.io.Chunked;
import org.jqmail.io.fuzz.FuzzTarget;

/**
 * qmail-popup's session with TLS settings (doc/POP3.md §6) on any client bytes: CAPA, STLS and
 * TLSREQUIRED, and after STLS whatever follows fed to the TLS handshake. Every reply before
 * the handshake is a whole POP3 line ({@code +OK}, {@code -ERR} or a CAPA list line), and
 * nothing but IOException ends a session; a subprogram runs only with a login.
 */
class PopupTlsFuzzTest extends FuzzTarget {
    private static byte[] pem;

    PopupTlsFuzzTest() {
        super("popup-tls", IOException.class);
    }

    @Override
    protected List<byte[]> dictionary() {
        return List.of(Bytes.ascii("STLS\r\n"), Bytes.ascii("CAPA\r\n"), Bytes.ascii("USER "), Bytes.ascii("PASS "),
                Bytes.ascii("APOP "), new byte[] {0x16, 0x03, 0x01}, new byte[] {0x16, 0x03, 0x03, 0x00, 0x30});
    }

    @Override
    protected void fuzz(byte[] input) throws IOException {
        if (pem == null) {
            pem = PopupTlsTest.pem();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PopupTlsTest.Fake sub = new PopupTlsTest.Fake();
        new Popup(new Chunked(input, 7), out, Bytes.ascii("mail.example"), Popup.unique(1, 2), sub)
                .tls(new PopTls(true, pem, false, true)).run();
        String s = out.toString(StandardCharsets.ISO_8859_1);
        int tls = s.indexOf(Popup.STLS);
        String clear = tls < 0 ? s : s.substring(0, tls);
        for (String l : clear.split("\r\n", -1)) {
            assertTrue(l.isEmpty() || l.startsWith("+OK") || l.startsWith("-ERR ") || l.matches("TOP|UIDL|USER|STLS|\\."),
                    l);
        }
        assertTrue(clear.isEmpty() || clear.endsWith("\r\n"));
        // TLSREQUIRED: no login in clear text but APOP's.
        for (String l : sub.logins) {
            assertTrue(l.startsWith("clear ") || l.startsWith("tls "), l);
        }
    }
}
