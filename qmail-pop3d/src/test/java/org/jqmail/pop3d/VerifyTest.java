package org.jqmail.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** checkpassword's decision, with a stand-in account database and crypt(3). */
class VerifyTest {
    static final long TODAY = 20_000;
    /** A stand-in crypt: the setting up to its last {@code $}, then the key. */
    final List<String> hashed = new ArrayList<>();
    final Verify.Hash hash = (key, setting) -> {
        hashed.add(Bytes.str(setting));
        return Bytes.concat(Bytes.sub(setting, 0, Bytes.lastIndexOf(setting, '$') + 1), key);
    };

    static Accounts.Account account(String name, long uid, String hash, long expire) {
        return new Accounts.Account(name, uid, 1000, "/home/" + name, "/bin/sh", Bytes.ascii(hash), expire);
    }

    Verify verify(Accounts.Account... accounts) {
        return new Verify(name -> Arrays.stream(accounts).filter(a -> a.name().equals(name)).findFirst().orElse(null),
                hash, TODAY);
    }

    static Credentials login(String user, String pass) {
        byte[] b = Bytes.ascii(user + "\0" + pass + "\0<x>\0");
        return Credentials.parse(b, b.length);
    }

    @Test
    void theRightPasswordLogsIn() throws IOException {
        Accounts.Account joe = account("joe", 1000, "$6$s$secret", -1);
        assertEquals(joe, verify(joe).check(login("joe", "secret")));
        assertEquals(List.of("$6$s$secret"), hashed);
        assertNull(verify(joe).check(login("joe", "secreT")));
        assertNull(verify(joe).check(login("joe", "")));
    }

    @Test
    void everyRefusalStillHashesOnceWithTheDummySetting() throws IOException {
        String dummy = Bytes.str(Verify.DUMMY);
        Verify v = verify(account("root", 0, "$6$s$pw", -1), account("locked", 5, "!$6$s$pw", -1),
                account("star", 6, "*", -1), account("empty", 7, "", -1), account("old", 8, "$6$s$pw", TODAY),
                account("young", 9, "$6$s$pw", TODAY + 1));
        for (String u : new String[] {"nobody", "root", "locked", "star", "empty", "old", "-x", "a:b", "a b", ""}) {
            hashed.clear();
            assertNull(v.check(login(u, "pw")), u);
            assertEquals(List.of(dummy), hashed, u);
        }
        hashed.clear();
        assertEquals("young", v.check(login("young", "pw")).name());
        assertEquals(List.of("$6$s$pw"), hashed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"joe", "j.doe@example", "a_b-c$", "0"})
    void printableNamesPass(String name) {
        assertEquals(name, Verify.name(Bytes.ascii(name)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-joe", "jo e", "jo:e", "jo\te", "jo\u00e9", "jo\u007f"})
    void otherNamesNeverReachTheDatabase(String name) {
        assertNull(Verify.name(Bytes.ascii(name)));
    }
}
