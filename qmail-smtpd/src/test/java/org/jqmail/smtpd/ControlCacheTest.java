package org.jqmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import org.jqmail.control.Control;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's control-file cache: every read gives what a fresh {@link Control} would, and
 * a change is seen by the next reader. The cache's clock runs ahead of the files' times, so
 * that their stamps count as settled; a test that changes a file first sets its mtime (or the
 * directory's) back, so that the change gives a new stamp even within one clock tick.
 */
class ControlCacheTest {
    private static final FileTime LONG_AGO = FileTime.fromMillis(1_000_000_000_000L);

    @TempDir
    Path dir;
    ControlCache cache;

    @BeforeEach
    void setUp() {
        cache = new ControlCache(dir, () -> System.currentTimeMillis() + 60_000);
    }

    private Path write(String name, String content) throws IOException {
        return Files.write(dir.resolve(name), Bytes.ascii(content));
    }

    /** Writes {@code name} with its mtime long ago (its ctime is now). */
    private void writeOld(String name, String content) throws IOException {
        Files.setLastModifiedTime(write(name, content), LONG_AGO);
    }

    private void ageDir() throws IOException {
        Files.setLastModifiedTime(dir, LONG_AGO);
    }

    private String line(String name) throws IOException {
        byte[] v = cache.control().readLine(name);
        return v == null ? null : Bytes.str(v);
    }

    @Test
    void givesWhatControlGivesForPresentEmptyAndAbsentFiles() throws IOException {
        writeOld("me", "mail.example.org \t\nsecond\n");
        writeOld("empty", "");
        writeOld("list", "a.example\n# comment\n\nb.example  \n");
        ageDir();
        Control plain = new Control(dir);
        for (int round = 0; round < 2; round++) {
            Control c = cache.control();
            assertArrayEquals(plain.readLine("me"), c.readLine("me"));
            assertArrayEquals(plain.readLine("empty"), c.readLine("empty"));
            assertNull(c.readLine("absent"));
            assertEquals(7, c.readInt("absentint", 7));
            List<byte[]> l = c.readFile("list", false);
            assertEquals(List.of("a.example", "b.example"), l.stream().map(Bytes::str).toList());
            assertEquals(List.of("mail.example.org"),
                    c.readFile("absentlist", true).stream().map(Bytes::str).toList());
        }
        assertTrue(cache.holds("me"));
        assertTrue(cache.holds("absent"));
        assertArrayEquals(Bytes.ascii("mail.example.org \t\nsecond\n"), cache.kept("me"));
    }

    @Test
    void anInPlaceRewriteIsSeenByTheNextReader() throws IOException {
        writeOld("smtpgreeting", "one.example");
        assertEquals("one.example", line("smtpgreeting"));
        assertTrue(cache.holds("smtpgreeting"));
        write("smtpgreeting", "two.example");
        assertEquals("two.example", line("smtpgreeting"));
    }

    @Test
    void aFileRenamedOverTheOldOneIsSeenByTheNextReader() throws IOException {
        writeOld("rcpthosts", "a.example\n");
        assertEquals("a.example", line("rcpthosts"));
        Path tmp = dir.resolve("rcpthosts.tmp");
        Files.write(tmp, Bytes.ascii("b.example\n"));
        Files.setLastModifiedTime(tmp, LONG_AGO);
        Files.move(tmp, dir.resolve("rcpthosts"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals("b.example", line("rcpthosts"));
    }

    @Test
    void aNewFileIsSeenByTheNextReaderAndARemovedOneIsAbsent() throws IOException {
        ageDir();
        assertNull(line("databytes"));
        assertTrue(cache.holds("databytes"));
        write("databytes", "1000\n");
        assertEquals(1000, cache.control().readInt("databytes", 0));
        Files.setLastModifiedTime(dir.resolve("databytes"), LONG_AGO);
        assertEquals(1000, cache.control().readInt("databytes", 0));
        Files.delete(dir.resolve("databytes"));
        assertEquals(0, cache.control().readInt("databytes", 0));
    }

    @Test
    void recentFilesAndDirectoriesAreNotKept() throws IOException {
        ControlCache now = new ControlCache(dir, System::currentTimeMillis);
        write("me", "x.example\n");
        assertEquals("x.example", Bytes.str(now.control().readLine("me")));
        assertNull(now.control().readLine("absent"));
        assertFalse(now.holds("me"));
        assertFalse(now.holds("absent"));
    }

    @Test
    void aDanglingSymbolicLinkIsNeverRememberedAsAbsent() throws IOException {
        Files.createSymbolicLink(dir.resolve("localiphost"), dir.resolve("elsewhere"));
        ageDir();
        assertNull(line("localiphost"));
        assertFalse(cache.holds("localiphost"));
        write("elsewhere", "ip.example\n");
        assertEquals("ip.example", line("localiphost"));
    }

    @Test
    void mayExistAnswersFalseOnlyForKnownAbsentFiles() throws IOException {
        ageDir();
        Control c = cache.control();
        assertFalse(c.mayExist("morercpthosts.cdb"));
        assertTrue(cache.holds("morercpthosts.cdb"));
        assertFalse(cache.control().mayExist("morercpthosts.cdb"));
        write("morercpthosts.cdb", "");
        assertTrue(cache.control().mayExist("morercpthosts.cdb"));
        assertTrue(new Control(dir).mayExist("anything"));
    }

    @Test
    void aFileBeyondTheCapIsReadWholeButNotKept() throws IOException {
        byte[] big = new byte[ControlCache.FILE_CAP + 10];
        Arrays.fill(big, (byte) 'a');
        for (int i = 99; i < big.length; i += 100) {
            big[i] = '\n';
        }
        Files.write(dir.resolve("badmailfrom"), big);
        Files.setLastModifiedTime(dir.resolve("badmailfrom"), LONG_AGO);
        List<byte[]> l = cache.control().readFile("badmailfrom", false);
        assertEquals(new Control(dir).readFile("badmailfrom", false).size(), l.size());
        assertFalse(cache.holds("badmailfrom"));
    }

    @Test
    void anUnreadableFileIsAnErrorAndNotKept() throws IOException {
        Files.createDirectory(dir.resolve("timeoutsmtpd"));
        ageDir();
        assertThrows(IOException.class, () -> cache.control().readInt("timeoutsmtpd", 1200));
        assertFalse(cache.holds("timeoutsmtpd"));
    }

    @Test
    void filesOutsideTheDirectoryAreReadStraight() throws IOException {
        ageDir();
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Files.write(sub.resolve("f"), Bytes.ascii("v\n"));
        assertEquals("v", Bytes.str(new Control(sub, cache.source()).readLine("f")));
        assertFalse(cache.holds("f"));
    }
}
