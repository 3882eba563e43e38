package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The installed tools as real processes on a fresh installation (no daemons): qmail-showctl,
 * qmail-qstat, qmail-qread and its sendmail/mailq names, maildirmake and maildir2mbox,
 * preline, predate, except, bouncesaying, qmailctl.
 */
class ToolsIT {
    private static final byte[] NONE = new byte[0];

    @Test
    void queueToolsOnAnEmptyQueue() throws Exception {
        try (TestHome home = TestHome.create()) {
            TestHome.Result r = home.run(NONE, "qmail-showctl");
            assertEquals(0, r.exit(), r.errText());
            assertTrue(r.outText().startsWith("qmail home directory: " + home.prefix() + ".\n"), r.outText());
            assertTrue(r.outText().contains("\nme: My name is test.example.\n"), r.outText());
            r = home.run(NONE, "qmail-qstat");
            assertEquals("messages in queue: 0\nmessages in queue but not yet preprocessed: 0\n", r.outText());
            r = home.run(NONE, "qmail-qread");
            assertEquals(0, r.exit(), r.errText());
            assertEquals("", r.outText());
            assertEquals(0, home.run(NONE, "sendmail", "-bp").exit());
            Path links = home.dir().resolve("links");
            Files.createDirectories(links);
            Files.createSymbolicLink(links.resolve("mailq"), home.bin("sendmail"));
            Files.createSymbolicLink(links.resolve("newaliases"), home.bin("sendmail"));
            assertEquals(0, home.run(NONE, links.resolve("mailq").toString()).exit());
            r = home.run(NONE, links.resolve("newaliases").toString());
            assertEquals(100, r.exit());
            assertEquals("sendmail: fatal: please use fastforward/newaliases instead\n", r.errText());
            r = home.run(NONE, "sendmail", "-N");
            assertEquals(100, r.exit());
            assertEquals("sendmail: illegal option -- N\nsendmail: usage: sendmail [ -t ] [ -fsender ] [ -Fname ]"
                    + " [ -bp ] [ -bs ] [ arg ... ]\n", r.errText());
            r = home.run(NONE, "qmailctl", "doctor");
            assertEquals(1, r.exit());
            assertTrue(r.outText().contains("PROBLEM: qmail-send is not running\n"), r.outText());
            assertTrue(r.outText().contains("ok: control files\n"), r.outText());
        }
    }

    @Test
    void maildirmakeAndMaildir2mbox() throws Exception {
        try (TestHome home = TestHome.create()) {
            Path md = home.dir().resolve("Maildir");
            assertEquals(0, home.run(NONE, "maildirmake", md.toString()).exit());
            TestHome.Result r = home.run(NONE, "maildirmake", md.toString());
            assertEquals(111, r.exit());
            assertEquals("maildirmake: fatal: unable to mkdir " + md + ": file already exists\n", r.errText());
            Path msg = md.resolve("new/1.2.host");
            Files.writeString(msg, "Return-Path: <a@b.c>\nSubject: s\n\nFrom here\n");
            Files.setLastModifiedTime(msg, java.nio.file.attribute.FileTime.fromMillis(810362814000L));
            r = TestHome.exec(List.of("env", "MAILDIR=" + md, "MAIL=" + home.dir().resolve("mbox"),
                    "MAILTMP=" + home.dir().resolve("mbox.tmp"), home.bin("maildir2mbox").toString()), NONE,
                    Duration.ofMinutes(1));
            assertEquals(0, r.exit(), r.errText());
            assertEquals("From a@b.c Wed Sep 06 04:46:54 1995\nReturn-Path: <a@b.c>\nSubject: s\n\n>From here\n\n",
                    Files.readString(home.dir().resolve("mbox")));
            assertTrue(!Files.exists(msg));
        }
    }

    @Test
    void deliveryHelpers() throws Exception {
        try (TestHome home = TestHome.create()) {
            Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "UFLINE", "From a@b Thu Jan  1 00:00:00 1970\n",
                    "RPLINE", "Return-Path: <a@b>\n", "DTLINE", "Delivered-To: c@d\n");
            TestHome.Proc p = home.start(env, "preline", "-d", "cat");
            p.stdin().write("body\n".getBytes(StandardCharsets.US_ASCII));
            p.stdin().close();
            assertEquals(0, p.waitFor(Duration.ofMinutes(1)));
            assertEquals("From a@b Thu Jan  1 00:00:00 1970\nReturn-Path: <a@b>\nbody\n", p.out());
            assertEquals(100, home.run(NONE, "except", "true").exit());
            assertEquals(0, home.run(NONE, "except", "false").exit());
            TestHome.Result r = home.run(NONE, "bouncesaying", "Go away.", "true");
            assertEquals(100, r.exit());
            assertEquals("Go away.\n", r.errText());
            assertEquals(0, home.run(NONE, "bouncesaying", "Go away.", "false").exit());
            r = home.run(NONE, "bouncesaying", "x", "sh", "-c", "exit 111");
            assertEquals(111, r.exit());
            assertEquals("bouncesaying: fatal: temporary child error\n", r.errText());
            r = home.run("x\n".getBytes(StandardCharsets.US_ASCII), "predate", "cat");
            assertEquals(0, r.exit(), r.errText());
            assertTrue(r.outText().matches("Date: \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\nx\n"),
                    r.outText());
        }
    }
}
