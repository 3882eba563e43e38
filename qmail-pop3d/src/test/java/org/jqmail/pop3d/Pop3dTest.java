package org.jqmail.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.jqmail.io.Bytes;
import org.jqmail.io.Chunked;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qmail-pop3d's transaction state over a Maildir made by hand: whole replies, whole bytes. */
class Pop3dTest {
    static final long NOW = 1_700_000_000L;
    static final String M1 = "Subject: one\n\nfirst\n.dot\n";
    static final String M2 = "Subject: two\n\nsecond\n";
    static final String M3 = "Subject: three\n\n3a\n3b\n3c\n";

    @TempDir
    Path dir;
    Path md;

    static void put(Path md, String name, String text, long mtime) throws IOException {
        Path p = md.resolve(name);
        Files.write(p, Bytes.ascii(text));
        Files.setLastModifiedTime(p, FileTime.fromMillis(mtime * 1000));
    }

    @BeforeEach
    void maildir() throws IOException {
        md = dir.resolve("Maildir");
        for (String d : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(md.resolve(d));
        }
        // Numbered by mtime, not by directory: cur's message is the oldest.
        put(md, "new/200.2.host", M2, NOW - 200);
        put(md, "cur/100.1.host:2,S", M1, NOW - 300);
        put(md, "new/300.3.host", M3, NOW - 100);
        // Invisible: a dot file, a message from this very second, tmp/.
        put(md, "new/.hidden", "x\n", NOW - 500);
        put(md, "new/400.4.host", "late\n", NOW);
        put(md, "tmp/500.5.host", "unfinished\n", NOW - 10);
    }

    String session(String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Pop3d.serve(new Chunked(input, 3), out, md, NOW);
        return Bytes.str(out.toByteArray());
    }

    static String crlf(String s) {
        return s.replace("\n", "\r\n");
    }

    @Test
    void statListUidlCountFromTheOldest() throws IOException {
        assertEquals("+OK \r\n"
                + "+OK 3 71\r\n"
                + "+OK \r\n1 25\r\n2 21\r\n3 25\r\n.\r\n"
                + "+OK \r\n1 100.1.host\r\n2 200.2.host\r\n3 300.3.host\r\n.\r\n"
                + "+OK 2 21\r\n"
                + "+OK 3 300.3.host\r\n",
                session("STAT\r\nLIST\r\nUIDL\r\nLIST 2\r\nuidl 3\r\n"));
    }

    @Test
    void retrAndTopSendTheFileWithCrlfDotsAndTheExtraBlankLine() throws IOException {
        assertEquals("+OK \r\n+OK \r\nSubject: one\r\n\r\nfirst\r\n..dot\r\n\r\n.\r\n", session("RETR 1\n"));
        assertEquals("+OK \r\n+OK \r\nSubject: three\r\n\r\n3a\r\n3b\r\n\r\n.\r\n", session("TOP 3 2\r\n"));
        assertEquals("+OK \r\n+OK \r\nSubject: three\r\n\r\n\r\n.\r\n", session("TOP 3 0\r\n"));
        assertEquals("+OK \r\n+OK \r\nSubject: three\r\n\r\n3a\r\n3b\r\n3c\r\n\r\n.\r\n", session("TOP 3\r\n"));
        // RETR with a second number is TOP, as in qmail.
        assertEquals("+OK \r\n+OK \r\nSubject: three\r\n\r\n3a\r\n\r\n.\r\n", session("RETR 3   1\r\n"));
    }

    @Test
    void deleteRsetLastAndQuitApplyOnlyAtQuit() throws IOException {
        assertEquals("+OK \r\n"
                + "+OK 0\r\n"
                + "+OK \r\n"
                + "+OK 2\r\n"
                + "-ERR already deleted\r\n"
                // STAT's count includes the deleted message, its total does not.
                + "+OK 3 50\r\n"
                + "+OK \r\n1 25\r\n3 25\r\n.\r\n"
                + "-ERR already deleted\r\n"
                + "+OK \r\n"
                + "+OK 0\r\n"
                + "+OK \r\n"
                + "+OK \r\n"
                + "+OK 3\r\n"
                + "+OK \r\n"
                + "+OK \r\n"
                + "+OK \r\n",
                session("LAST\r\nDELE 2\r\nLAST\r\nDELE 2\r\nSTAT\r\nLIST\r\nRETR 2\r\nRSET\r\nLAST\r\n"
                        + "DELE 3\r\nDELE 1\r\nLAST\r\nRSET\r\nDELE 3\r\nQUIT\r\n"));
        assertFalse(Files.exists(md.resolve("new/300.3.host")));
        assertFalse(Files.exists(md.resolve("cur/300.3.host:2,")));
        assertTrue(Files.exists(md.resolve("cur/200.2.host:2,")));
        assertTrue(Files.exists(md.resolve("cur/100.1.host:2,S")));
        // Not part of the session: left where they were.
        assertTrue(Files.exists(md.resolve("new/400.4.host")));
        assertTrue(Files.exists(md.resolve("new/.hidden")));
    }

    @Test
    void endOfInputWithoutQuitChangesNothing() throws IOException {
        assertEquals("+OK \r\n+OK \r\n", session("DELE 1\r\nDELE 2"));
        assertTrue(Files.exists(md.resolve("cur/100.1.host:2,S")));
        assertTrue(Files.exists(md.resolve("new/200.2.host")));
    }

    @Test
    void messageNumbersAreScannedAsScanUlong() throws IOException {
        assertEquals("+OK \r\n"
                + "-ERR syntax error\r\n"
                + "-ERR syntax error\r\n"
                + "-ERR messages are counted from 1\r\n"
                + "-ERR not that many messages\r\n"
                + "+OK 1 25\r\n"
                // 2^64 wraps to 0, 2^64 + 1 to 1.
                + "-ERR messages are counted from 1\r\n"
                + "+OK 1 25\r\n"
                + "-ERR syntax error\r\n"
                + "+OK \r\n",
                session("LIST x\r\nDELE -1\r\nRETR 0\r\nTOP 4\r\nLIST 1x\r\n"
                        + "LIST 18446744073709551616\r\nLIST 18446744073709551617\r\nRETR\r\nQUIT\r\n"));
    }

    @Test
    void unknownCommandsAndNoop() throws IOException {
        assertEquals("+OK \r\n-ERR unimplemented\r\n-ERR unimplemented\r\n-ERR unimplemented\r\n+OK \r\n",
                session("USER joe\r\nAPOP a b\r\n\r\nnoop\r\n"));
    }

    @Test
    void anOverlongLineIsOutOfMemoryAndEndsTheSession() throws IOException {
        String line = "NOOP " + "x".repeat(Commands.LINE_MAX);
        assertEquals("+OK \r\n+OK \r\n-ERR out of memory\r\n", session("NOOP\r\n" + line + "\r\nNOOP\r\n"));
    }

    @Test
    void anEmptyMaildirAndAMissingOne() throws IOException {
        Path empty = dir.resolve("Empty");
        for (String d : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(empty.resolve(d));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Pop3d.serve(new Chunked("STAT\r\nLIST\r\nUIDL\r\nQUIT\r\n", 5), out, empty, NOW);
        assertEquals("+OK \r\n+OK 0 0\r\n+OK \r\n.\r\n+OK \r\n.\r\n+OK \r\n", Bytes.str(out.toByteArray()));

        Files.delete(empty.resolve("cur"));
        out.reset();
        Pop3d.serve(new Chunked("STAT\r\n", 5), out, empty, NOW);
        assertEquals("-ERR unable to scan $HOME/Maildir\r\n", Bytes.str(out.toByteArray()));
    }

    @Test
    void oldTmpFilesAreCleanedAtStart() throws IOException {
        put(md, "tmp/old", "x", NOW);
        Files.setAttribute(md.resolve("tmp/old"), "lastAccessTime", FileTime.fromMillis((NOW - 129601) * 1000));
        Files.setAttribute(md.resolve("tmp/500.5.host"), "lastAccessTime", FileTime.fromMillis((NOW - 129600) * 1000));
        session("QUIT\r\n");
        assertFalse(Files.exists(md.resolve("tmp/old")));
        assertTrue(Files.exists(md.resolve("tmp/500.5.host")));
    }

    @Test
    void aMessageGoneAfterTheScanCannotBeOpenedNorUnlinked() throws IOException {
        Mailbox box = Mailbox.open(md, NOW);
        Files.delete(md.resolve("new/200.2.host"));
        Files.delete(md.resolve("cur/100.1.host:2,S"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SubstdioOut o = new SubstdioOut(out, 7);
        new Pop3d(new SubstdioIn(new Chunked("LIST\r\nRETR 2\r\nDELE 1\r\nDELE 2\r\nDELE 3\r\nQUIT\r\n", 4), 128), o, box).run();
        // Sizes are those of the scan; each failed unlink gets its own line, then +OK.
        assertEquals("+OK \r\n+OK \r\n1 25\r\n2 21\r\n3 25\r\n.\r\n-ERR unable to open that message\r\n"
                + "+OK \r\n+OK \r\n+OK \r\n"
                + "-ERR unable to unlink all deleted messages\r\n-ERR unable to unlink all deleted messages\r\n"
                + "+OK \r\n", Bytes.str(out.toByteArray()));
        assertFalse(Files.exists(md.resolve("new/300.3.host")));
    }

    @Test
    void sameMtimesComeOutInPrioqOrder() throws IOException {
        Path m = dir.resolve("Same");
        for (String d : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(m.resolve(d));
        }
        for (int i = 0; i < 6; i++) {
            put(m, "new/" + i, "m" + i + "\n", NOW - 10);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Pop3d.serve(new Chunked("UIDL\r\n", 5), out, m, NOW);
        List<String> uidls = Stream.of(Bytes.str(out.toByteArray()).split("\r\n")).skip(2).limit(6)
                .map(l -> l.substring(l.indexOf(' ') + 1)).sorted().toList();
        assertEquals(List.of("0", "1", "2", "3", "4", "5"), uidls);
    }
}
