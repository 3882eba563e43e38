package org.jqmail.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;

/** getent's passwd and shadow lines. */
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
}
