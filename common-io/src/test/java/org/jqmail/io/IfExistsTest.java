package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IfExistsTest {
    @TempDir
    Path dir;

    @Test
    void aMissingFileIsNull() throws IOException {
        assertNull(IfExists.attributes(dir.resolve("absent")));
    }

    @Test
    void anExistingFileHasItsAttributes() throws IOException {
        Path f = Files.write(dir.resolve("f"), new byte[] {1, 2, 3});
        BasicFileAttributes a = IfExists.attributes(f);
        assertNotNull(a);
        assertTrue(a.isRegularFile());
        assertEquals(3, a.size());
        assertTrue(IfExists.attributes(dir).isDirectory());
    }

    @Test
    void aDanglingLinkIsMissingUnlessNotFollowed() throws IOException {
        Path l = Files.createSymbolicLink(dir.resolve("l"), dir.resolve("nowhere"));
        assertNull(IfExists.attributes(l));
        assertTrue(IfExists.attributes(l, LinkOption.NOFOLLOW_LINKS).isSymbolicLink());
    }

    @Test
    void otherErrorsAreThrownNotNull() throws IOException {
        Path f = Files.write(dir.resolve("plain"), new byte[0]);
        // ENOTDIR: a path through a regular file is not "absent" to qmail.
        FileSystemException e = assertThrows(FileSystemException.class, () -> IfExists.attributes(f.resolve("x")));
        assertTrue(!(e instanceof NoSuchFileException));
    }
}
