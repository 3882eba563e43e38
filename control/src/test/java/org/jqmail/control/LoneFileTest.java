package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoneFileTest {
    @TempDir
    Path dir;

    @Test
    void aRegularFileWithOneNameGivesItsInode() throws IOException {
        Path f = Files.write(dir.resolve("f"), new byte[] {1});
        assertEquals((Long) Files.getAttribute(f, "unix:ino"), LoneFile.ino(f));
    }

    @Test
    void aSecondNameADirectoryOrALinkGiveMinusOne() throws IOException {
        Path f = Files.write(dir.resolve("f"), new byte[] {1});
        Files.createLink(dir.resolve("g"), f);
        assertEquals(-1, LoneFile.ino(f));
        assertEquals(-1, LoneFile.ino(Files.createDirectory(dir.resolve("d"))));
        Path lone = Files.write(dir.resolve("lone"), new byte[0]);
        assertEquals(-1, LoneFile.ino(Files.createSymbolicLink(dir.resolve("s"), lone)));
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> LoneFile.ino(dir.resolve("absent")));
    }
}
