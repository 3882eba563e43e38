package org.jqmail.lspawn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jqmail.control.CdbMake;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qmail-lspawn's reading of {@code users/cdb} ({@link UsersCdb}, {@link Assignment}), from
 * cdbs laid out as qmail-newu writes them (qmail-newu itself is tested in qmail-tools).
 */
class UsersCdbTest {
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

    /** Writes {@code users/cdb} with these keys and values, in this order. */
    private void cdb(String... kv) throws IOException {
        try (CdbMake m = new CdbMake(home.resolve("users/cdb"))) {
            for (int i = 0; i < kv.length; i += 2) {
                m.add(b(kv[i]), b(kv[i + 1]));
            }
            m.finish();
        }
    }

    private UsersCdb users() {
        return new UsersCdb(home.resolve("users/cdb"));
    }

    @Test
    void lookupsFollowQmailLspawnsPrecedence() throws Exception {
        // qmail-newu's users/cdb for
        //   =joe:joe:1001:100:/home/joe:::       +joe-:joe:1001:100:/home/joe:-::
        //   +joe-list-:lst:1003:100:/home/lst:-:pre-:   +:alias:7790:2108:/var/qmail/alias:-::
        cdb("!joe\0", "joe\0" + "1001\0" + "100\0/home/joe\0\0",
                "!joe-", "joe\0" + "1001\0" + "100\0/home/joe\0-\0",
                "!joe-list-", "lst\0" + "1003\0" + "100\0/home/lst\0-\0pre-",
                "!", "alias\0" + "7790\0" + "2108\0/var/qmail/alias\0-\0",
                "", "-");
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
        // qmail-newu's users/cdb for =joe:joe:1:1:/h:::
        cdb("!joe\0", "joe\0" + "1\0" + "1\0/h\0\0", "", "");
        assertNull(users().find(b("bob")));
        assertNull(users().find(b("joe-x")));
    }

    @Test
    void aCdbWithoutTheEmptyKeyIsUnreadable() throws Exception {
        try (CdbMake m = new CdbMake(home.resolve("users/cdb"))) {
            m.add(b("!joe\0"), b("joe\0" + "1\0" + "1\0/h\0\0"));
            m.finish();
        }
        Qlx q = assertThrows(Qlx.class, () -> users().find(b("joe")));
        assertEquals(117, q.code());
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
