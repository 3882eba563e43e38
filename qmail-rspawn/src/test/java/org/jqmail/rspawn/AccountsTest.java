package org.jqmail.rspawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {
    @TempDir
    Path dir;

    @Test
    void uidFromThePasswordFile() throws IOException {
        Path p = dir.resolve("passwd");
        Files.write(p, ("root:x:0:0:root:/root:/bin/bash\nqmailqx:x:1:1::/:/bin/false\n"
                + "qmailq:x:64011:64010:qmail queue:/var/qmail:/usr/sbin/nologin\nbad:x:y:1::/:\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(64011, Accounts.uidFromFile(p, "qmailq"));
        assertEquals(0, Accounts.uidFromFile(p, "root"));
        assertThrows(IOException.class, () -> Accounts.uidFromFile(p, "qmail"));
        assertThrows(IOException.class, () -> Accounts.uidFromFile(p, "bad"));
    }
}
