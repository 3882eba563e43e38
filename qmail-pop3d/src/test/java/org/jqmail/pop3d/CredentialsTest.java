package org.jqmail.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jqmail.io.Bytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The checkpassword interface's fd 3 data, checked as the original checkpassword checks it. */
class CredentialsTest {
    private static Credentials parse(String s) {
        byte[] b = Bytes.ascii(s);
        return Credentials.parse(b, b.length);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"joe\u0000pw\u0000<1.2@h>\u0000\"|joe|pw",
        "\"joe\u0000pw\u0000\"|joe|pw",
        "\"joe\u0000pw\u0000<ts\"|joe|pw",
        "\"\u0000\u0000\"|\"\"|\"\"",
        "\"joe\u0000\u0000more\u0000\"|joe|\"\"",
    })
    void wellFormed(String data, String login, String password) {
        Credentials c = parse(data);
        assertEquals(login, Bytes.str(c.login()));
        assertEquals(password, Bytes.str(c.password()));
        c.wipe();
        assertEquals("\0".repeat(login.length()), Bytes.str(c.login()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"", "joe", "\"joe\u0000\"", "\"joe\u0000pw\"", "\"\u0000\"",
    })
    void malformedIsMisuse(String data) {
        assertNull(parse(data));
    }
}
