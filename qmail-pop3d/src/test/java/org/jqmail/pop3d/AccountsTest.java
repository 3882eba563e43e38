package org.jqmail.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** passwd and shadow lines, from the files or from getent. */
class AccountsTest {
    private static Accounts.Account parse(String pw, String sp, String name) {
        return Accounts.parse(Bytes.ascii(pw), sp == null ? null : Bytes.ascii(sp), name);
    }

    @Test
    void shadowHashWinsAndItsExpiryDayIsKept() {
        Accounts.Account a = parse("joe:x:1001:1002:Joe:/home/joe:/bin/bash\n",
                "joe:$y$j9T$s$h:19000:0:99999:7::20500:", "joe");
        assertEquals("joe", a.name());
        assertEquals(1001, a.uid());
        assertEquals(1002, a.gid());
        assertEquals("/home/joe", a.home());
        assertEquals("/bin/bash", a.shell());
        assertEquals("$y$j9T$s$h", Bytes.str(a.hash()));
        assertEquals(20500, a.expire());
    }

    @Test
    void withoutShadowThePasswdFieldIsTheHash() {
        Accounts.Account a = parse("joe:$1$s$h:1001:1002::/home/joe:", null, "joe");
        assertEquals("$1$s$h", Bytes.str(a.hash()));
        assertEquals(-1, a.expire());
        assertEquals("", a.shell());
        assertEquals(-1, parse("joe:x:1:2::/h:/s", "joe:h:1:0:9:7:::", "joe").expire());
        // A shadow line for someone else is ignored.
        assertEquals("x", Bytes.str(parse("joe:x:1:2::/h:/s", "bob:h", "joe").hash()));
        // An unreadable expiry day counts as long past.
        assertEquals(0, parse("joe:x:1:2::/h:/s", "joe:h:1:0:9:7::soon:", "joe").expire());
    }

    @Test
    void anotherNameOrAMalformedLineIsNoAccount() {
        // getent passwd 0 answers with root's entry.
        assertNull(parse("root:x:0:0:root:/root:/bin/bash", null, "0"));
        assertNull(parse("joe:x:1001:1002:/home/joe:/bin/bash", null, "joe"));
        assertNull(parse("joe:x:-1:1002::/home/joe:/bin/bash", null, "joe"));
        assertNull(parse("joe:x:4294967296:1::/h:/s", null, "joe"));
        assertNull(parse("", null, "joe"));
    }

    private static String find(String db, String name) {
        byte[] line = Accounts.find(db == null ? null : Bytes.ascii(db), name);
        return line == null ? null : Bytes.str(line);
    }

    @Test
    void theFilesFirstLineOfTheNameIsTheEntry() {
        String db = "#joe:c:0:0::/:/\n+joe:p:0:0::/:/\njo:a:1:1::/:/\njoe:b:2:2::/h:/s\njoe:c:3:3::/:/\nann:d:4:4::/:/";
        assertEquals("joe:b:2:2::/h:/s", find(db, "joe"));
        assertEquals("ann:d:4:4::/:/", find(db, "ann"));
        assertEquals("jo:a:1:1::/:/", find(db, "jo"));
        assertNull(find(db, "j"));
        assertNull(find(db, "bob"));
        // Comments and NIS compat lines are not accounts.
        assertNull(find(db, "#joe"));
        assertNull(find(db, "+joe"));
        assertNull(find(null, "joe"));
        assertNull(find("", "joe"));
    }

    @Test
    void nsswitchSourcesBesidesFilesSendUnknownNamesToGetent() {
        byte[] conf = Bytes.ascii("# passwd: ldap\npasswd:   files systemd # sss\n"
                + "group: files ldap\nshadow: files [NOTFOUND=return] sss\n");
        assertFalse(Accounts.elsewhere(conf, "passwd"));
        assertTrue(Accounts.elsewhere(conf, "shadow"));
        assertFalse(Accounts.elsewhere(conf, "hosts"));
        assertFalse(Accounts.elsewhere(null, "passwd"));
        assertTrue(Accounts.elsewhere(Bytes.ascii("passwd: compat\n"), "passwd"));
    }

    @Test
    void lookupReadsBothFiles(@TempDir Path dir) throws IOException {
        Path pw = Files.writeString(dir.resolve("passwd"), "root:x:0:0::/root:/bin/sh\njoe:x:1001:1002::/home/joe:/bin/sh\n");
        Path sp = Files.writeString(dir.resolve("shadow"), "joe:$y$j9T$s$h:19000:0:99999:7:::\n");
        Path nss = Files.writeString(dir.resolve("nsswitch.conf"), "passwd: files\nshadow: files\n");
        Accounts.Account a = Accounts.lookup("joe", pw, sp, nss);
        assertEquals(1001, a.uid());
        assertEquals("$y$j9T$s$h", Bytes.str(a.hash()));
        assertNull(Accounts.lookup("bob", pw, sp, nss));
        // An unreadable (here: missing) shadow file leaves passwd's field, as getent shadow does.
        assertEquals("x", Bytes.str(Accounts.lookup("joe", pw, dir.resolve("none"), dir.resolve("none")).hash()));
    }
}
