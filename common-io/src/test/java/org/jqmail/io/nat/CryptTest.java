package org.jqmail.io.nat;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * crypt(3) through whichever binding this Java runtime gets (jnr before 22, java.lang.foreign
 * from 22), against hashes the system's libcrypt made (with perl's crypt, which calls it).
 */
class CryptTest {
    /** "sécret" as UTF-8 bytes: crypt sees bytes, never characters. */
    private static final byte[] KEY = "s\u00c3\u00a9cret".getBytes(ISO_8859_1);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "yescrypt|$y$j9T$F5Jx5fExrKuPp53xLKQ..1$Sf8ofldU8MA1/lUSNCMuHiYAspPWN974CZweHJw/Cp4",
        "gost-yescrypt|$gy$j9T$F5Jx5fExrKuPp53xLKQ..1$yJqHti0EN5lbHStAn1bK6hDak4.0J3lgt4tsApddOy0",
        "scrypt|$7$CU..../....abcdefgh$fgEP2iMe7vgKbiOc/9noeJwQaHx.FkKXEo2dVdTNtZ7",
        "bcrypt|$2b$05$abcdefghijklmnopqrstuue73ccPeu6jOIGNYCxh9sGEWx4Cb.zJm",
        "sha512crypt|$6$saltsalt$u52K27Qr01mTxcBXDlJJRtzDuH3mXs4caJA26MtkWZ6q4JaJTZMs7A0VySYTfsRtcIX/nvURevC7UQAtqfONl1",
        "sha256crypt|$5$saltsalt$c0iPsezf5/eQGa9FXfmzNPGBvU4eJOb7KxMB3ghSeC7",
        "md5crypt|$1$saltsalt$JuLe1nEZL3b8Xr5YCXO7u1",
        "descrypt|ab3TLBXmeOVag",
    })
    void aStoredHashIsItsOwnSettingForEveryMethod(String method, String hash) throws IOException {
        byte[] h = hash.getBytes(ISO_8859_1);
        assertArrayEquals(h, Crypt.crypt(KEY, h), method);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"!", "*", "!$6$saltsalt$u52K27Qr01mTx", "''", "$y$j9T$$$"})
    void aSettingLibcryptRefusesGivesNull(String setting) throws IOException {
        assertNull(Crypt.crypt(KEY, setting.getBytes(ISO_8859_1)));
    }

    @org.junit.jupiter.api.Test
    void aNulInKeyOrSettingGivesNull() throws IOException {
        assertNull(Crypt.crypt(new byte[] {'a', 0, 'b'}, "ab".getBytes(ISO_8859_1)));
        assertNull(Crypt.crypt(KEY, new byte[] {'a', 0}));
    }
}
