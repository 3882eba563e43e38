package org.jqmail.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jqmail.control.Qmail;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qmail-inject end to end, in process: header generation, recipients, sender, failures. */
class InjectTest {
    /** 6 Sep 1995 04:46:54 UTC. */
    static final long NOW = 810362814L;
    static final String DATE = "Date: 6 Sep 1995 04:46:54 -0000\n";
    static final String MSGID = "Message-ID: <19950906044654.12345.qmail@silverton.berkeley.edu>\n";

    @TempDir
    Path home;

    final Map<String, byte[]> env = new HashMap<>();
    final FakeQq qq = new FakeQq();
    String err;
    int code;

    /** Records a submission. */
    static final class FakeQq implements Qmail {
        final ByteArrayOutputStream message = new ByteArrayOutputStream();
        String sender;
        final List<String> rcpts = new ArrayList<>();
        String status = "";
        boolean opened;

        @Override
        public void put(byte[] b, int off, int n) {
            message.write(b, off, n);
        }

        @Override
        public void fail() {
            throw new AssertionError("qmail-inject never abandons a submission it started");
        }

        @Override
        public void from(byte[] s) {
            sender = Bytes.str(s);
        }

        @Override
        public void to(byte[] r) {
            rcpts.add(Bytes.str(r));
        }

        @Override
        public String close() {
            return status;
        }

        @Override
        public long qp() {
            return 4242;
        }
    }

    @BeforeEach
    void controls() throws IOException {
        Path c = Files.createDirectories(home.resolve("control"));
        Files.writeString(c.resolve("me"), "silverton.berkeley.edu\n");
        Files.writeString(c.resolve("defaultdomain"), "berkeley.edu\n");
        Files.writeString(c.resolve("plusdomain"), "berkeley.edu\n");
        env.put("USER", Bytes.ascii("djb"));
    }

    String inject(String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        List<byte[]> a = new ArrayList<>();
        for (String s : args) {
            a.add(Bytes.ascii(s));
        }
        Inject in = new Inject(new Env(env), home, () -> {
            qq.opened = true;
            return qq;
        }, new ByteArrayInputStream(Bytes.ascii(input)), out, e, NOW, 12345);
        code = in.run(a);
        err = Bytes.str(e.toByteArray());
        return Bytes.str(out.toByteArray());
    }

    String queued() {
        return Bytes.str(qq.message.toByteArray());
    }

    @Test
    void localToLocalGetsDateMessageIdAndFrom() {
        String out = inject("To: djb\nSubject: hi\n\nbody\n", "-n");
        assertEquals("Return-Path: <djb@silverton.berkeley.edu>\n" + DATE + MSGID
                + "From: djb@silverton.berkeley.edu\n"
                + "To: djb@silverton.berkeley.edu\nSubject: hi\n\nbody\n", out);
        assertEquals(0, code);
        assertEquals("", err);
    }

    @Test
    void queuesWithHeaderRecipientsAndTheDefaultSender() {
        inject("to: me\n");
        assertEquals(0, code);
        assertEquals("djb@silverton.berkeley.edu", qq.sender);
        assertEquals(List.of("me@silverton.berkeley.edu"), qq.rcpts);
        assertEquals(DATE + MSGID + "From: djb@silverton.berkeley.edu\nto: me@silverton.berkeley.edu\n", queued());
    }

    @Test
    void argumentsReplaceHeaderRecipientsUnlessAskedForBoth() {
        inject("To: a, b\nCc: c\nBcc: d\n", "x", "y@z.org");
        assertEquals(List.of("x@silverton.berkeley.edu", "y@z.org"), qq.rcpts);
        qq.rcpts.clear();
        inject("To: a, b\nCc: c\nBcc: d\n", "-H", "x");
        assertEquals(List.of("x@silverton.berkeley.edu", "b@silverton.berkeley.edu", "a@silverton.berkeley.edu",
                "c@silverton.berkeley.edu", "d@silverton.berkeley.edu"), qq.rcpts);
        qq.rcpts.clear();
        inject("To: a\n", "-h", "x");
        assertEquals(List.of("a@silverton.berkeley.edu"), qq.rcpts);
        qq.rcpts.clear();
        inject("To: a\n", "-a");
        assertEquals(List.of(), qq.rcpts);
    }

    @Test
    void bccReturnPathAndContentLengthAreDropped() {
        inject("Return-Path: <bounce@x.org>\nContent-Length: 3\nBcc: secret\nSubject: s\n\nb\n");
        assertEquals("bounce@x.org", qq.sender);
        assertEquals(List.of("secret@silverton.berkeley.edu"), qq.rcpts);
        assertEquals(DATE + MSGID + "From: djb@silverton.berkeley.edu\nCc: recipient list not shown: ;\n"
                + "Subject: s\n\nb\n", queued());
    }

    @Test
    void dashFBeatsReturnPathAndIsRewritten() {
        inject("Return-Path: <bounce@x.org>\nTo: a\n", "-f", "root");
        assertEquals("root@silverton.berkeley.edu", qq.sender);
        inject("To: a\n", "-f", "");
        assertEquals("", qq.sender);
    }

    @Test
    void personalNameAndCommentStyleFrom() {
        env.put("NAME", Bytes.ascii("D. J. Bernstein"));
        env.put("QMAILHOST", Bytes.ascii("pobox.com"));
        String out = inject("To: a@b.c\n", "-n");
        assertEquals("Return-Path: <djb@pobox.com>\n" + DATE + MSGID + "From: \"D. J. Bernstein\" <djb@pobox.com>\n"
                + "To: a@b.c\n", out);
        env.put("QMAILINJECT", Bytes.ascii("c"));
        out = inject("To: a@b.c\n", "-n");
        assertEquals("Return-Path: <djb@pobox.com>\n" + DATE + MSGID + "From: djb@pobox.com (D. J. Bernstein)\n"
                + "To: a@b.c\n", out);
    }

    @Test
    void qmailUserThatNeedsQuotingAndSenderOverrides() {
        env.put("QMAILUSER", Bytes.ascii("j doe"));
        env.put("QMAILSUSER", Bytes.ascii("bounces"));
        env.put("QMAILSHOST", Bytes.ascii("lists.example"));
        String out = inject("To: a@b.c\n", "-n");
        assertEquals("Return-Path: <bounces@lists.example>\n" + DATE + MSGID
                + "From: \"j doe\"@silverton.berkeley.edu\nTo: a@b.c\n", out);
    }

    @Test
    void verpFlagsDecorateTheDefaultSender() {
        env.put("QMAILINJECT", Bytes.ascii("rm"));
        inject("To: a@b.c\n");
        assertEquals("djb-810362814.12345-@silverton.berkeley.edu-@[]", qq.sender);
        env.put("QMAILINJECT", Bytes.ascii("r"));
        inject("Return-Path: <list@x.org>\nTo: a@b.c\n");
        assertEquals("list@x.org-@[]", qq.sender);
    }

    @Test
    void qmailInjectFlagsDeleteFields() {
        env.put("QMAILINJECT", Bytes.ascii("fis"));
        inject("From: someone@else.org\nMessage-ID: <x@y>\nReturn-Path: <r@x.org>\nTo: a@b.c\n");
        assertEquals("djb@silverton.berkeley.edu", qq.sender);
        assertEquals(DATE + MSGID + "From: djb@silverton.berkeley.edu\nTo: a@b.c\n", queued());
    }

    @Test
    void resentMessagesGetResentFieldsAndResentRecipients() {
        inject("Resent-To: r\nTo: a\nDate: x\nMessage-ID: <m@h>\nFrom: f@g.h\n");
        assertEquals(List.of("r@silverton.berkeley.edu"), qq.rcpts);
        assertEquals("Resent-" + DATE + "Resent-" + MSGID + "Resent-From: djb@silverton.berkeley.edu\n"
                + "Resent-To: r@silverton.berkeley.edu\nTo: a@silverton.berkeley.edu\nDate: x\n"
                + "Message-ID: <m@h>\nFrom: f@g.h\n", queued());
    }

    @Test
    void resentWithoutResentRecipientsSaysSo() {
        inject("Resent-From: f@g.h\nTo: a@b.c\n", "-a", "z@y.x");
        assertEquals("Resent-" + DATE + "Resent-" + MSGID + "Resent-Cc: recipient list not shown: ;\n"
                + "Resent-From: f@g.h\nTo: a@b.c\n", queued());
    }

    @Test
    void mboxFromLineBecomesAField() {
        inject("From djb Wed Sep  6 04:46:54 1995\nTo: a@b.c\n\nx\n");
        assertEquals(DATE + MSGID + "From: djb@silverton.berkeley.edu\n"
                + "MBOX-Line: From djb Wed Sep  6 04:46:54 1995\nTo: a@b.c\n\nx\n", queued());
    }

    @Test
    void aNonFieldLineEndsTheHeaderAndGetsABlankLineBefore() {
        inject("To: a@b.c\nthis is body\nmore\n");
        assertEquals(DATE + MSGID + "From: djb@silverton.berkeley.edu\nTo: a@b.c\n\nthis is body\nmore\n", queued());
    }

    @Test
    void missingFinalNewlinesAreAddedAndAHeaderOnlyMessageHasNoBody() {
        inject("To: a@b.c");
        assertEquals(DATE + MSGID + "From: djb@silverton.berkeley.edu\nTo: a@b.c\n", queued());
        qq.message.reset();
        inject("To: a@b.c\n\nno newline");
        assertEquals(DATE + MSGID + "From: djb@silverton.berkeley.edu\nTo: a@b.c\n\nno newline\n", queued());
        qq.message.reset();
        qq.rcpts.clear();
        inject("");
        assertEquals(DATE + MSGID + "From: djb@silverton.berkeley.edu\nCc: recipient list not shown: ;\n", queued());
        assertEquals(List.of(), qq.rcpts);
    }

    @Test
    void unparsableRecipientFieldPassesThroughUnparsableFromIsFatal() {
        inject("To: (open\nSubject: s\n");
        assertEquals(0, code);
        assertEquals(List.of(), qq.rcpts);
        assertEquals(DATE + MSGID + "From: djb@silverton.berkeley.edu\nTo: (open\nSubject: s\n", queued());
        qq.opened = false;
        inject("From: )x\nTo: a@b.c\n");
        assertEquals(100, code);
        assertEquals("qmail-inject: fatal: unable to parse this line:\nFrom: )x\n", err);
        assertEquals(false, qq.opened);
    }

    @Test
    void badArgumentsAndOptions() {
        inject("To: a\n", "a@)");
        assertEquals(100, code);
        assertEquals("qmail-inject: fatal: unable to parse address: a@)\n", err);
        inject("To: a\n", "-x");
        assertEquals(100, code);
        assertEquals("qmail-inject: illegal option -- x\n", err);
        inject("To: a\n", "-f");
        assertEquals(100, code);
        assertEquals("qmail-inject: option requires an argument -- f\n", err);
    }

    @Test
    void queueFailuresAreReportedWithTheirClass() {
        qq.status = "Dmail server permanently rejected message (#5.3.0)";
        inject("To: a@b.c\n");
        assertEquals(100, code);
        assertEquals("qmail-inject: fatal: mail server permanently rejected message (#5.3.0)\n", err);
        qq.status = "Zqq write error or disk full (#4.3.0)";
        inject("To: a@b.c\n");
        assertEquals(111, code);
        assertEquals("qmail-inject: fatal: qq write error or disk full (#4.3.0)\n", err);
    }

    @Test
    void unreachableQueueAndHome() {
        Inject in = new Inject(new Env(env), home, () -> {
            throw new IOException("no socket");
        }, new ByteArrayInputStream(Bytes.ascii("To: a\n")), new ByteArrayOutputStream(),
                new ByteArrayOutputStream(), NOW, 1);
        assertEquals(111, in.run(List.of()));
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        in = new Inject(new Env(env), home.resolve("nonexistent"), () -> qq,
                new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), e, NOW, 1);
        assertEquals(111, in.run(List.of()));
        assertEquals("qmail-inject: fatal: internal bug\n", Bytes.str(e.toByteArray()));
    }

    @Test
    void environmentOverridesControlFiles() {
        env.put("QMAILDEFAULTHOST", Bytes.ascii("mail.example"));
        env.put("QMAILDEFAULTDOMAIN", Bytes.ascii("example.net"));
        env.put("QMAILPLUSDOMAIN", Bytes.ascii("plus.example"));
        env.put("QMAILIDHOST", Bytes.ascii("id.example"));
        String out = inject("To: a, b@c, d@e+\n", "-n");
        assertEquals("Return-Path: <djb@mail.example>\n" + DATE
                + "Message-ID: <19950906044654.12345.qmail@id.example>\n" + "From: djb@mail.example\n"
                + "To: a@mail.example, b@c.example.net, d@e.plus.example\n", out);
    }

    @Test
    void mailFollowupToForListedLists() throws IOException {
        Path mft = home.resolve("lists");
        Files.writeString(mft, "# lists\nlist@example.org\n");
        env.put("QMAILMFTFILE", Bytes.ascii(mft.toString()));
        inject("To: LIST@example.org, x@y.z\nCc: c@d.e\n");
        assertEquals(DATE + MSGID + "From: djb@silverton.berkeley.edu\n"
                + "Mail-Followup-To: c@d.e,\n  LIST@example.org,\n  x@y.z\n"
                + "To: LIST@example.org, x@y.z\nCc: c@d.e\n", queued());
    }

    @Test
    void invalidControlValueIsAParseFailure() throws IOException {
        Files.writeString(home.resolve("control/defaulthost"), "bad)\n");
        inject("To: a\n");
        assertEquals(0, code);
        Files.writeString(home.resolve("control/defaulthost"), ")bad\n");
        inject("To: a\n");
        assertEquals(100, code);
        assertEquals("qmail-inject: fatal: unable to parse this line:\n@)bad", err);
    }
}
