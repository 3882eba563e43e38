package org.jqmail.local;

import static org.jqmail.local.T.argv;
import static org.jqmail.local.T.b;
import static org.jqmail.local.T.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole qmail-local runs against a temporary home, without processes: exit codes and the exact
 * report text (fd 1 and fd 2 as one stream, as qmail-lspawn reads them).
 */
class DeliveryTest {
    private static final String MSG = "Subject: hi\n\nFrom me\nbody\n";

    @TempDir
    Path home;
    FakeSys sys = new FakeSys();
    FakeQueue queue = new FakeQueue();
    BufferOutput out = new BufferOutput(100_000);
    /** One name source for the test, as one process would have. */
    Uniq uniq = Uniq.standalone(sys);

    @BeforeEach
    void maildir() throws IOException {
        for (String d : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(home.resolve("Maildir").resolve(d));
        }
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void qmail(String name, String content) throws IOException {
        Files.write(home.resolve(name), b(content));
        Files.setPosixFilePermissions(home.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
    }

    private int run(String msg, String... args) {
        Delivery d = new Delivery(new Delivery.Services(sys, uniq, queue, home));
        return d.run(argv(args), new MemoryMessage(b(msg)), null, out);
    }

    /** qmail-lspawn's arguments for joe-EXT@example.com from bob@x.org. */
    private int deliver(String ext, String msg) {
        return run(msg, "joe", home.toString(), ext.isEmpty() ? "joe" : "joe-" + ext,
                ext.isEmpty() ? "" : "-", ext, "example.com", "bob@x.org", "./Maildir/");
    }

    private String report() {
        return s(out.bytes());
    }

    private List<String> newMail() throws IOException {
        try (Stream<Path> s = Files.list(home.resolve("Maildir/new"))) {
            return s.map(p -> {
                try {
                    return s(Files.readAllBytes(p));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.toList());
        }
    }

    @Test
    void noDotQmailUsesTheDefaultDelivery() throws Exception {
        assertEquals(0, deliver("", MSG));
        assertEquals("did 1+0+0\n", report());
        assertEquals(List.of("Return-Path: <bob@x.org>\nDelivered-To: joe@example.com\n" + MSG), newMail());
    }

    @Test
    void emptyDotQmailUsesTheDefaultDelivery() throws Exception {
        qmail(".qmail", "");
        assertEquals(0, deliver("", MSG));
        assertEquals("did 1+0+0\n", report());
    }

    @Test
    void extensionWithoutFileBounces() {
        assertEquals(100, deliver("nosuch", MSG));
        assertEquals("Sorry, no mailbox here by that name. (#5.1.1)\n", report());
    }

    @Test
    void defaultFileCatchesExtensions() throws Exception {
        qmail(".qmail-list-default", "./list\n");
        assertEquals(0, deliver("list-Foo.Bar", MSG));
        assertTrue(s(Files.readAllBytes(home.resolve("list"))).startsWith("From bob@x.org "));
        assertEquals("did 1+0+0\n", report());
    }

    @Test
    void loopingMessageBounces() {
        String looping = "Received: x\nDelivered-To: joe@example.com\nSubject: y\n\nbody\n";
        assertEquals(100, deliver("", looping));
        assertEquals("This message is looping: it already has my Delivered-To line. (#5.4.6)\n", report());
    }

    @Test
    void deliveredToInTheBodyOrForSomeoneElseIsNoLoop() throws Exception {
        assertEquals(0, deliver("", "Delivered-To: JOE@example.com\nDelivered-To: joe@example.com \n\n"
                + "Delivered-To: joe@example.com\n"));
        assertEquals(0, deliver("", "Subject: x\n\nDelivered-To: joe@example.com\n"));
        assertEquals(0, deliver("", "Delivered-To: joe@example.com"));
    }

    @Test
    void crlfHeaderEndIsNotAHeaderEnd() {
        // qmail's header ends only at a line that is exactly "\n".
        assertEquals(100, deliver("", "Subject: x\r\n\r\nDelivered-To: joe@example.com\n"));
    }

    @Test
    void listModeDoesNotCheckForLoopsOrDeliver() throws Exception {
        qmail(".qmail-x", "# comment\n./Maildir/\n./mbox \n|prog arg\n&a@b\nc@d\n+list\n");
        int code = run("Delivered-To: joe-x@example.com\n\n", "-n", "joe", home.toString(), "joe-x", "-", "x",
                "example.com", "bob@x.org", "./Maildir/");
        assertEquals(0, code);
        assertEquals("maildir ./Maildir/\nmbox ./mbox\nprogram prog arg\nforward a@b\nforward c@d\ndid 2+2+1\n",
                report());
        assertEquals(List.of(), newMail());
        assertEquals(0, queue.opened);
    }

    @Test
    void forwardsGoLastInOneSubmissionWithDtlineAndNewsender() throws Exception {
        qmail(".qmail-fw", "&a@example.org\n./Maildir/\nb@example.org\n");
        qmail(".qmail-fw-owner", "");
        assertEquals(0, deliver("fw", MSG));
        assertEquals("did 1+2+0\nqp 31337\n", report());
        assertEquals("Delivered-To: joe-fw@example.com\n" + MSG, s(queue.message.toByteArray()));
        assertEquals("joe-fw-owner@example.com", s(queue.sender));
        assertEquals(List.of("a@example.org", "b@example.org"),
                queue.rcpts.stream().map(T::s).collect(Collectors.toList()));
        assertEquals(1, newMail().size());
    }

    @Test
    void permanentQueueFailureBounces() throws Exception {
        qmail(".qmail-fw", "a@example.org\n");
        queue.status = "Dmail server permanently rejected message (#5.3.0)";
        assertEquals(100, deliver("fw", MSG));
        assertEquals("Unable to forward message: mail server permanently rejected message (#5.3.0).\n", report());
    }

    @Test
    void temporaryQueueFailureDefers() throws Exception {
        qmail(".qmail-fw", "a@example.org\n");
        queue.status = "Zqq write error or disk full (#4.3.0)";
        assertEquals(111, deliver("fw", MSG));
        assertEquals("Unable to forward message: qq write error or disk full (#4.3.0).\n", report());
    }

    @Test
    void queueThatCannotStartIsUnableToFork() throws Exception {
        qmail(".qmail-fw", "a@example.org\n");
        Delivery d = new Delivery(new Delivery.Services(sys, uniq, () -> {
            throw new IOException("Resource temporarily unavailable");
        }, home));
        int code = d.run(argv("joe", home.toString(), "joe-fw", "-", "fw", "example.com", "bob@x.org", "./Maildir/"),
                new MemoryMessage(b(MSG)), null, out);
        assertEquals(111, code);
        assertEquals("Unable to fork: temporary failure. (#4.3.0)\n", report());
    }

    @Test
    void blankFirstLineDefers() throws Exception {
        qmail(".qmail-b", "\n./Maildir/\n");
        assertEquals(111, deliver("b", MSG));
        assertEquals("Uh-oh: first line of .qmail file is blank. (#4.2.1)\n", report());
        assertEquals(List.of(), newMail());
    }

    @Test
    void laterBlankLinesAreIgnored() throws Exception {
        qmail(".qmail-b", "./Maildir/\n\n  \n#x\n");
        assertEquals(0, deliver("b", MSG));
        assertEquals("did 1+0+0\n", report());
    }

    @Test
    void executableDotQmailForbidsFilesAfterEarlierDeliveriesHappened() throws Exception {
        qmail(".qmail-x", "a@example.org\n./Maildir/\n");
        Files.setPosixFilePermissions(home.resolve(".qmail-x"), PosixFilePermissions.fromString("rwxr--r--"));
        assertEquals(111, deliver("x", MSG));
        assertEquals("Uh-oh: .qmail has file delivery but has x bit set. (#4.7.0)\n", report());
        assertEquals(0, queue.opened);
    }

    @Test
    void plusListForbidsProgramsFromThereOn() throws Exception {
        qmail(".qmail-l", "./Maildir/\n+list\n|echo hi\n");
        assertEquals(111, deliver("l", MSG));
        assertEquals("Uh-oh: .qmail has prog delivery but has x bit set. (#4.7.0)\n", report());
        assertEquals(1, newMail().size());
    }

    @Test
    void emptyExecutableFileStillGetsTheDefaultDelivery() throws Exception {
        qmail(".qmail-e", "");
        Files.setPosixFilePermissions(home.resolve(".qmail-e"), PosixFilePermissions.fromString("rwxr--r--"));
        assertEquals(0, deliver("e", MSG));
        assertEquals("did 1+0+0\n", report());
    }

    @Test
    void writableHomeDefers() throws Exception {
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xrwx"));
        assertEquals(111, deliver("", MSG));
        assertEquals("Uh-oh: home directory is writable. (#4.7.0)\n", report());
    }

    @Test
    void missingHomeDefers() {
        int code = run(MSG, "joe", home.resolve("gone").toString(), "joe", "", "", "example.com", "", "./Maildir/");
        assertEquals(111, code);
        assertEquals("Unable to switch to " + home.resolve("gone") + ": file does not exist. (#4.3.0)\n", report());
    }

    @Test
    void homeThatIsAFileDefers() throws Exception {
        qmail("f", "");
        int code = run(MSG, "joe", home.resolve("f").toString(), "joe", "", "", "example.com", "", "./Maildir/");
        assertEquals(111, code);
        assertEquals("Unable to switch to " + home.resolve("f") + ": not a directory. (#4.3.0)\n", report());
    }

    @Test
    void badUsageBouncesWithTheUsageText() {
        assertEquals(100, run(MSG, "joe", "relative", "joe", "", "", "example.com", "", "./Maildir/"));
        assertEquals("qmail-local: usage: qmail-local [ -nN ] user homedir local dash ext domain sender aliasempty\n",
                report());
    }

    @Test
    void mboxAndMaildirBothGetTheSameDeliveredTo() throws Exception {
        qmail(".qmail", "./Maildir/\n./Mailbox\n");
        assertEquals(0, deliver("", MSG));
        assertEquals("did 2+0+0\n", report());
        String mbox = s(Files.readAllBytes(home.resolve("Mailbox")));
        assertEquals("From bob@x.org Sun Sep 09 01:46:40 2001\nReturn-Path: <bob@x.org>\n"
                + "Delivered-To: joe@example.com\nSubject: hi\n\n>From me\nbody\n\n", mbox);
    }

    @Test
    void failingInstructionStopsButEarlierDeliveriesStay() throws Exception {
        qmail(".qmail", "./Maildir/\n./nodir/Mailbox\n./Maildir/\n");
        assertEquals(111, deliver("", MSG));
        assertEquals("Unable to open ./nodir/Mailbox: file does not exist. (#4.2.1)\n", report());
        assertEquals(1, newMail().size());
    }

    @Test
    void stickyHomeDefersButListModeOnlyWarns() throws Exception {
        Files.setAttribute(home, "unix:mode", 01755);
        assertEquals(111, deliver("", MSG));
        assertEquals("Home directory is sticky: user is editing his .qmail file. (#4.2.1)\n", report());
        BufferOutput o2 = new BufferOutput(1000);
        Delivery d = new Delivery(new Delivery.Services(sys, uniq, queue, home));
        int code = d.run(argv("-n", "joe", home.toString(), "joe", "", "", "example.com", "", "./Maildir/"),
                new MemoryMessage(b(MSG)), null, o2);
        assertEquals(0, code);
        assertEquals("Warning: home directory is sticky.\nmaildir ./Maildir/\ndid 1+0+0\n", s(o2.bytes()));
    }

    @Test
    void unexpectedExceptionIsTemporary() {
        Message boom = new Message() {
            @Override
            public java.io.InputStream current() {
                throw new IllegalStateException("bug");
            }

            @Override
            public java.io.InputStream rewind() {
                throw new IllegalStateException("bug");
            }
        };
        Delivery d = new Delivery(new Delivery.Services(sys, uniq, queue, home));
        int code = d.run(argv("joe", home.toString(), "joe", "", "", "example.com", "", "./Maildir/"), boom, null, out);
        assertEquals(111, code);
        assertEquals("Unable to deliver: internal error in qmail-local. (#4.3.0)\n", report());
        assertFalse(report().isEmpty());
    }
}
