package org.jqmail.local;

import org.jqmail.control.TempFail;
import static org.jqmail.local.T.b;
import static org.jqmail.local.T.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MboxTest {
    private static final byte[] UF = b("From a@b Sun Sep 09 01:46:40 2001\n");
    private static final byte[] RP = b("Return-Path: <a@b>\n");
    private static final byte[] DT = b("Delivered-To: joe@example.com\n");
    private static final String HEAD = "From a@b Sun Sep 09 01:46:40 2001\nReturn-Path: <a@b>\n"
            + "Delivered-To: joe@example.com\n";

    @TempDir
    Path home;
    FakeSys sys = new FakeSys();

    private void deliver(String name, Message m) throws TempFail {
        new Mbox(sys).deliver(b(name), home.resolve(name), m, UF, RP, DT);
    }

    @Test
    void entryHasFromLineHeadersQuotedBodyAndBlankLine() throws Exception {
        deliver("./Mailbox", new MemoryMessage(b("Subject: x\n\nFrom here\n>From there\nend")));
        Path mb = home.resolve("Mailbox");
        assertEquals(HEAD + "Subject: x\n\n>From here\n>>From there\nend\n\n", s(Files.readAllBytes(mb)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(mb)));
    }

    @Test
    void entriesAreAppended() throws Exception {
        Files.write(home.resolve("Mailbox"), b("old\n"));
        deliver("./Mailbox", new MemoryMessage(b("one\n")));
        deliver("./Mailbox", new MemoryMessage(b("two\n")));
        assertEquals("old\n" + HEAD + "one\n\n" + HEAD + "two\n\n", s(Files.readAllBytes(home.resolve("Mailbox"))));
    }

    @Test
    void unopenableFileSaysWhy() {
        TempFail f = assertThrows(TempFail.class, () -> deliver("./no/such/Mailbox", new MemoryMessage(b("x"))));
        assertEquals("Unable to open ./no/such/Mailbox: file does not exist. (#4.2.1)", s(f.text()));
    }

    @Test
    void directoryCannotBeAnMbox() throws Exception {
        Files.createDirectory(home.resolve("dir"));
        TempFail f = assertThrows(TempFail.class, () -> deliver("./dir", new MemoryMessage(b("x"))));
        assertEquals("Unable to open ./dir: is a directory. (#4.2.1)", s(f.text()));
    }

    @Test
    void readErrorTruncatesBackToTheOldEnd() throws Exception {
        Files.write(home.resolve("Mailbox"), b("old\n"));
        InputStream broken = new SequenceInputStream(new ByteArrayInputStream(new byte[20000]), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Input/output error");
            }
        });
        Message m = new Message() {
            @Override
            public InputStream current() {
                return broken;
            }

            @Override
            public InputStream rewind() {
                return broken;
            }
        };
        TempFail f = assertThrows(TempFail.class, () -> deliver("./Mailbox", m));
        assertEquals("Unable to read message: input/output error. (#4.3.0)", s(f.text()));
        assertEquals("old\n", s(Files.readAllBytes(home.resolve("Mailbox"))));
    }

    @Test
    void lockedForThirtySecondsGivesUp() throws Exception {
        Path mb = home.resolve("Mailbox");
        Files.write(mb, b("old\n"));
        try (FileChannel other = FileChannel.open(mb, StandardOpenOption.WRITE);
                FileLock l = other.lock()) {
            TempFail f = assertThrows(TempFail.class, () -> deliver("./Mailbox", new MemoryMessage(b("x"))));
            assertEquals("File has been locked for 30 seconds straight. (#4.3.0)", s(f.text()));
            assertTrue(l.isValid());
        }
        assertEquals(30_000, sys.slept);
        assertEquals("old\n", s(Files.readAllBytes(mb)));
    }

    @Test
    void rewindFailureIsReported() {
        Message m = new Message() {
            @Override
            public InputStream current() {
                return InputStream.nullInputStream();
            }

            @Override
            public InputStream rewind() throws IOException {
                throw new IOException("Illegal seek");
            }
        };
        TempFail f = assertThrows(TempFail.class, () -> deliver("./Mailbox", m));
        assertEquals("Unable to rewind message. (#4.3.0)", s(f.text()));
    }
}
