package org.jqmail.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.jqmail.control.Cdb;
import org.jqmail.control.CdbMake;
import org.jqmail.control.Control;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QmailNewmrhTest {
    @TempDir
    Path home;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void controlDir() throws IOException {
        Files.createDirectory(home.resolve("control"));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void morercpthosts(byte[] content) throws IOException {
        Files.write(home.resolve("control/morercpthosts"), content);
    }

    private byte[] cdbBytes() throws IOException {
        return Files.readAllBytes(home.resolve("control/morercpthosts.cdb"));
    }

    private String errText() {
        return err.toString(StandardCharsets.ISO_8859_1);
    }

    /** The cdb qmail would write for these keys, in this order, with empty data. */
    private byte[] expected(String... keys) throws IOException {
        Path p = home.resolve("expected.cdb");
        try (CdbMake m = new CdbMake(p)) {
            for (String k : keys) {
                m.add(b(k), new byte[0]);
            }
            m.finish();
        }
        return Files.readAllBytes(p);
    }

    @Test
    void linesAreLowercasedStrippedAndCommentsAndBlanksSkipped() throws IOException {
        morercpthosts(b("Example.COM \t\n#Comment.example\n\n \t\n  Leading.Org\nx#y.NET\nlast.NET"));
        assertEquals(0, QmailNewmrh.run(home, err));
        assertEquals("", errText());
        assertArrayEquals(expected("example.com", "  leading.org", "x#y.net", "last.net"), cdbBytes());
        try (Cdb cdb = Cdb.open(home.resolve("control/morercpthosts.cdb"))) {
            assertArrayEquals(new byte[0], cdb.find(b("example.com")));
            assertNull(cdb.find(b("Example.COM")));
            assertNull(cdb.find(b("#comment.example")));
        }
        assertFalse(Files.exists(home.resolve("control/morercpthosts.tmp")));
    }

    @Test
    void oneKeyIsByteIdenticalToAHandBuiltCdb() throws IOException {
        morercpthosts(b("a.B\n"));
        assertEquals(0, QmailNewmrh.run(home, err));
        // Independent of CdbMake: header, one record (8 + 3 bytes), 256 tables of which
        // only the key's bucket has two slots.
        long h = 5381;
        for (byte c : b("a.b")) {
            h = ((h << 5) + h ^ (c & 0xff)) & 0xffffffffL;
        }
        int bucket = (int) (h & 0xff);
        int tables = 2048 + 8 + 3;
        ByteBuffer x = ByteBuffer.allocate(tables + 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 256; i++) {
            x.putInt(i <= bucket ? tables : tables + 16);
            x.putInt(i == bucket ? 2 : 0);
        }
        x.putInt(3).putInt(0).put(b("a.b"));
        int first = (int) ((h >>> 8) % 2);
        for (int s = 0; s < 2; s++) {
            x.putInt(s == first ? (int) h : 0).putInt(s == first ? 2048 : 0);
        }
        assertArrayEquals(x.array(), cdbBytes());
    }

    @Test
    void carriageReturnIsPartOfTheKeyAsInQmail() throws IOException {
        morercpthosts(b("crlf.example\r\n"));
        assertEquals(0, QmailNewmrh.run(home, err));
        assertArrayEquals(expected("crlf.example\r"), cdbBytes());
    }

    @Test
    void duplicateLinesAreAllAdded() throws IOException {
        morercpthosts(b("dup.example\nDUP.example\n"));
        assertEquals(0, QmailNewmrh.run(home, err));
        assertArrayEquals(expected("dup.example", "dup.example"), cdbBytes());
    }

    @Test
    void emptyFileGivesAnEmptyCdb() throws IOException {
        morercpthosts(new byte[0]);
        assertEquals(0, QmailNewmrh.run(home, err));
        assertArrayEquals(expected(), cdbBytes());
        assertEquals(2048, cdbBytes().length);
    }

    @Test
    void resultIsMode0644AndReplacesAnOldCdb() throws IOException {
        Files.write(home.resolve("control/morercpthosts.cdb"), b("old"));
        morercpthosts(b("new.example\n"));
        assertEquals(0, QmailNewmrh.run(home, err));
        assertArrayEquals(expected("new.example"), cdbBytes());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("control/morercpthosts.cdb"))));
    }

    @Test
    void missingSourceIsAReadErrorAndCreatesNoTemporaryFile() {
        assertEquals(111, QmailNewmrh.run(home, err));
        assertEquals("qmail-newmrh: fatal: unable to read control/morercpthosts: file does not exist\n",
                errText());
        assertFalse(Files.exists(home.resolve("control/morercpthosts.tmp")));
    }

    @Test
    void missingHomeCannotBeEntered() {
        Path gone = home.resolve("gone");
        assertEquals(111, QmailNewmrh.run(gone, err));
        assertEquals("qmail-newmrh: fatal: unable to chdir to " + gone + ": file does not exist\n",
                errText());
    }

    @Test
    void unwritableTemporaryFileIsAWriteError() throws IOException {
        morercpthosts(b("x.example\n"));
        Files.createDirectory(home.resolve("control/morercpthosts.tmp"));
        assertEquals(111, QmailNewmrh.run(home, err));
        assertEquals("qmail-newmrh: fatal: unable to write to control/morercpthosts.tmp: is a directory\n",
                errText());
    }

    @Test
    void failedRenameKeepsQmailsMissingSeparator() throws IOException {
        morercpthosts(b("x.example\n"));
        Files.createDirectories(home.resolve("control/morercpthosts.cdb/full"));
        assertEquals(111, QmailNewmrh.run(home, err));
        assertEquals("qmail-newmrh: fatal: unable to move control/morercpthosts.tmp to "
                + "control/morercpthosts.cdbis a directory\n", errText());
        assertTrue(Files.exists(home.resolve("control/morercpthosts.tmp")));
    }

    @Test
    void lineAtTheCapIsAcceptedAndOneByteMoreIsARefusal() throws IOException {
        for (int len : List.of(Control.LINE_MAX - 1, Control.LINE_MAX)) {
            byte[] line = new byte[len];
            Arrays.fill(line, (byte) 'a');
            morercpthosts(concat(line, b("\n")));
            assertEquals(0, QmailNewmrh.run(home, err), "length " + len);
            try (Cdb cdb = Cdb.open(home.resolve("control/morercpthosts.cdb"))) {
                assertNotNull(cdb.find(line));
            }
        }
        byte[] line = new byte[Control.LINE_MAX + 1];
        Arrays.fill(line, (byte) 'a');
        morercpthosts(concat(line, b("\n")));
        assertEquals(111, QmailNewmrh.run(home, err));
        assertEquals("qmail-newmrh: fatal: unable to read control/morercpthosts: out of memory\n",
                errText());
    }

    @Test
    void keyRules() {
        assertNull(QmailNewmrh.key(b("")));
        assertNull(QmailNewmrh.key(b(" \t ")));
        assertNull(QmailNewmrh.key(b("#x")));
        assertArrayEquals(b(" #x"), QmailNewmrh.key(b(" #X")));
        assertArrayEquals(b("\u00c4.example"), QmailNewmrh.key(b("\u00c4.EXAMPLE\t ")));
    }

    private static byte[] concat(byte[] a, byte[] c) {
        byte[] r = Arrays.copyOf(a, a.length + c.length);
        System.arraycopy(c, 0, r, a.length, c.length);
        return r;
    }
}
