package org.jqmail.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jqmail.control.Cdb;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NewuTest {
    @TempDir
    Path home;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(home.resolve("users"));
    }

    private void assign(String text) throws IOException {
        Files.write(home.resolve("users/assign"), b(text));
    }

    @Test
    void buildsKeysValuesAndWildcardSet() throws Exception {
        assign("=Joe:joe:1001:100:/home/joe:::\n"
                + "+joe-:joe:1001:100:/home/joe:-::\n"
                + "+list.:lists:1002:100:/var/lists:-:L:extra:fields\n"
                + "+:alias:7790:2108:/var/qmail/alias:-::\n"
                + "=joe:second:1:1:/x:::\n"
                + ".\n"
                + "=ignored:after:1:1:/x:::\n");
        Newu.run(home);
        try (Cdb c = Cdb.open(home.resolve("users/cdb"))) {
            assertEquals("-.", s(c.find(new byte[0])));
            assertEquals("joe\0" + "1001\0" + "100\0/home/joe\0\0", s(c.find(b("!joe\0"))));
            assertEquals("joe\0" + "1001\0" + "100\0/home/joe\0-\0", s(c.find(b("!joe-"))));
            assertEquals("lists\0" + "1002\0" + "100\0/var/lists\0-\0L", s(c.find(b("!list."))));
            assertEquals("alias\0" + "7790\0" + "2108\0/var/qmail/alias\0-\0", s(c.find(b("!"))));
            assertNull(c.find(b("!ignored\0")));
        }
        assertEquals("rw-r--r--", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("users/cdb"))));
        assertFalse(Files.exists(home.resolve("users/cdb.tmp")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "=joe:joe:1:1:/h:::\n",
        "=joe:joe:1:1:/h:::",
        "=joe:joe:1:1:/h::\n.\n",
        ":joe:joe:1:1:/h:::\n.\n",
        "=joe\n.\n",
        "=j\0e:joe:1:1:/h:::\n.\n",
        "",
    })
    void malformedAssignIsABadFormat(String text) throws IOException {
        assign(text);
        Newu.Fatal e = assertThrows(Newu.Fatal.class, () -> Newu.run(home));
        assertEquals("bad format in users/assign", e.getMessage());
        assertFalse(Files.exists(home.resolve("users/cdb")));
        assertFalse(Files.exists(home.resolve("users/cdb.tmp")));
    }

    @Test
    void missingAssignAndHomeAreFatal() {
        assertEquals("unable to open users/assign",
                assertThrows(Newu.Fatal.class, () -> Newu.run(home)).getMessage());
        assertEquals("unable to chdir",
                assertThrows(Newu.Fatal.class, () -> Newu.run(home.resolve("nonexistent"))).getMessage());
    }
}
