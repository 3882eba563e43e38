package org.jqmail.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** maildir2mbox against a Maildir made by hand, golden mbox. */
class MboxTest {
    static final long NOW = 1700000000L;

    @TempDir
    Path home;

    private void msg(String name, String content, long mtime) throws IOException {
        Path p = home.resolve("Maildir").resolve(name);
        Golden.write(p, content);
        Files.setLastModifiedTime(p, FileTime.fromMillis(mtime * 1000));
    }

    @Test
    void appendsMessagesInMtimeOrderWithFromLinesAndQuoting() throws IOException {
        for (String d : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(home.resolve("Maildir").resolve(d));
        }
        Golden.write(home.resolve("mbox"), "From old Thu Jan 01 00:00:00 1970\nSubject: old\n\nold body\n\n");
        msg("new/3.x.host", "Return-Path: <djb@silverton.berkeley.edu>\nDelivered-To: me@here\n\nFrom me\n"
                + ">From you\nFromage\n", 810362814L);
        msg("cur/1.x.host:2,S", "Return-Path: <>\nSubject: bounce\n\nsorry\n", 810362700L);
        msg("new/2.x.host", "Subject: no return path\n\nlast line without newline", 810362800L);
        msg("new/4.x.host", "Return-Path: <a b\tc@d>\n\nspaces\n", 810362900L);
        msg("new/5.future", "Subject: not yet\n", NOW + 10);
        msg("tmp/old", "abandoned\n", 1000L);
        Files.setAttribute(home.resolve("Maildir/tmp/old"), "lastAccessTime", FileTime.fromMillis(1000L));
        msg("tmp/fresh", "in progress\n", NOW);
        Files.setAttribute(home.resolve("Maildir/tmp/fresh"), "lastAccessTime", FileTime.fromMillis(NOW * 1000));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, new Mbox(err).run(home.resolve("Maildir").toString(), "../mbox", "../mbox.tmp", NOW));
        assertEquals("", err.toString("ISO-8859-1"));
        Golden.check("maildir2mbox.out", Files.readAllBytes(home.resolve("mbox")));
        try (Stream<Path> s = Files.list(home.resolve("Maildir/new"))) {
            assertEquals(List.of(home.resolve("Maildir/new/5.future")), s.toList());
        }
        assertFalse(Files.exists(home.resolve("Maildir/cur/1.x.host:2,S")));
        assertFalse(Files.exists(home.resolve("Maildir/tmp/old")));
        assertEquals(true, Files.exists(home.resolve("Maildir/tmp/fresh")));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("mbox"))));
    }

    @Test
    void nothingToDoLeavesTheMboxAlone() throws IOException {
        for (String d : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(home.resolve("Maildir").resolve(d));
        }
        assertEquals(0, new Mbox(new ByteArrayOutputStream()).run(home.resolve("Maildir").toString(), "../mbox",
                "../mbox.tmp", NOW));
        assertFalse(Files.exists(home.resolve("mbox")));
    }

    @Test
    void environmentAndScanFailures() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(111, new Mbox(err).run("x", null, "t", NOW));
        assertEquals("maildir2mbox: fatal: MAIL not set\n", err.toString("ISO-8859-1"));
        err.reset();
        assertEquals(111, new Mbox(err).run("x", "m", null, NOW));
        assertEquals("maildir2mbox: fatal: MAILTMP not set\n", err.toString("ISO-8859-1"));
        err.reset();
        assertEquals(111, new Mbox(err).run(null, "m", "t", NOW));
        assertEquals("maildir2mbox: fatal: MAILDIR not set\n", err.toString("ISO-8859-1"));
        err.reset();
        String md = home.resolve("none").toString();
        assertEquals(111, new Mbox(err).run(md, "m", "t", NOW));
        assertEquals("maildir2mbox: fatal: unable to chdir to " + md + ": file does not exist\n",
                err.toString("ISO-8859-1"));
        Files.createDirectories(home.resolve("md/new"));
        err.reset();
        assertEquals(111, new Mbox(err).run(home.resolve("md").toString(), "m", "t", NOW));
        assertEquals("maildir2mbox: fatal: unable to scan $MAILDIR/cur: file does not exist\n",
                err.toString("ISO-8859-1"));
    }

    @Test
    void maildirmakeMakesPrivateDirectoriesOnce() throws IOException {
        Path d = home.resolve("M");
        assertEquals(null, Maildirmake.make(d, "M"));
        for (String s : new String[] {"", "/tmp", "/new", "/cur"}) {
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(Path.of(d + s))));
        }
        assertEquals("unable to mkdir M: file already exists", Maildirmake.make(d, "M"));
    }
}
