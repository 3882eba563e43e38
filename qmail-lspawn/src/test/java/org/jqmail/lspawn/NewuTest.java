package org.jqmail.lspawn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    private UsersCdb users() {
        return new UsersCdb(home.resolve("users/cdb"));
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

    @Test
    void lookupsFollowQmailLspawnsPrecedence() throws Exception {
        assign("=joe:joe:1001:100:/home/joe:::\n"
                + "+joe-:joe:1001:100:/home/joe:-::\n"
                + "+joe-list-:lst:1003:100:/home/lst:-:pre-:\n"
                + "+:alias:7790:2108:/var/qmail/alias:-::\n.\n");
        Newu.run(home);
        UsersCdb u = users();
        assertEquals("joe\0" + "1001\0" + "100\0/home/joe\0\0\0", s(u.find(b("JOE"))));
        assertEquals("joe\0" + "1001\0" + "100\0/home/joe\0-\0Foo-Bar\0", s(u.find(b("Joe-Foo-Bar"))));
        assertEquals("lst\0" + "1003\0" + "100\0/home/lst\0-\0pre-X\0", s(u.find(b("joe-list-X"))));
        assertEquals("alias\0" + "7790\0" + "2108\0/var/qmail/alias\0-\0PostMaster\0", s(u.find(b("PostMaster"))));
        assertEquals("alias\0" + "7790\0" + "2108\0/var/qmail/alias\0-\0joex\0", s(u.find(b("joex"))));
        Assignment a = Assignment.parse(u.find(b("Joe-Foo")));
        assertEquals(1001, a.uid());
        assertEquals(100, a.gid());
        assertEquals("Foo", s(a.ext()));
        assertEquals("-", s(a.dash()));
    }

    @Test
    void withoutCatchAllUnmatchedIsNullAndMissingCdbIsNull() throws Exception {
        assertNull(users().find(b("joe")));
        assign("=joe:joe:1:1:/h:::\n.\n");
        Newu.run(home);
        assertNull(users().find(b("bob")));
        assertNull(users().find(b("joe-x")));
    }

    @Test
    void aCdbWithoutTheEmptyKeyIsUnreadable() throws Exception {
        try (org.jqmail.control.CdbMake m = new org.jqmail.control.CdbMake(home.resolve("users/cdb"))) {
            m.add(b("!joe\0"), b("joe\0" + "1\0" + "1\0/h\0\0"));
            m.finish();
        }
        Qlx q = assertThrows(Qlx.class, () -> users().find(b("joe")));
        assertEquals(117, q.code());
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

    @Test
    void assignmentRequiresSixFields() {
        assertEquals(112, assertThrows(Qlx.class, () -> Assignment.parse(b("u\0" + "1\0" + "2\0h\0-\0x"))).code());
        assertArrayEquals(b("u\0" + "1\0" + "2\0h\0-\0x\0"), assertParse("u\0" + "1\0" + "2\0h\0-\0x\0").encode());
    }

    private static Assignment assertParse(String s) {
        try {
            return Assignment.parse(b(s));
        } catch (Qlx q) {
            throw new AssertionError(q);
        }
    }
}
