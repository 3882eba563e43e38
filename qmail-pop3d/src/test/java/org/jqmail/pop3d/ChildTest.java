package org.jqmail.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How qmail-popup's subprogram is found and started. */
class ChildTest {
    @TempDir
    Path dir;

    @Test
    void theShellMovesThePipeToFd3AndTheSocketBackToFd0() {
        assertEquals(List.of("/bin/sh", "-c", "exec 3<&0 0<&1 \"$@\"", "qmail-popup", "checkpassword", "qmail-pop3d",
                "Maildir"), Child.shellArgv(List.of("checkpassword", "qmail-pop3d", "Maildir")));
    }

    @Test
    void searchIsExecvps() throws IOException {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        Files.createFile(a.resolve("prog"));
        Files.createFile(b.resolve("prog"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        String path = a + ":" + b;
        assertEquals(b.resolve("prog").toString(), Child.search("prog", path));
        assertEquals("./x/prog", Child.search("./x/prog", path));
        assertNull(Child.search("nothing", path));
        assertNull(Child.search("", path));
        assertEquals("/bin/sh", Child.search("sh", null));
    }
}
