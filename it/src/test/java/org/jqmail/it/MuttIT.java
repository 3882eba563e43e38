package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Debian's mutt with jqmail: sending in batch mode through a {@code sendmail} symlink to
 * {@code bin/sendmail} (as {@code /usr/sbin/sendmail} would be), and reading the Maildir that
 * qmail-local wrote (mutt on a pseudo-terminal from util-linux's {@code script}, driven by
 * {@code push}: it pipes every message to a file).
 */
@Tag("root")
class MuttIT {
    static final String USER = "jqmutt";
    static Beside b;
    static Path muttrc;

    @BeforeAll
    static void start() throws Exception {
        b = Beside.prepare(USER, "/usr/bin/mutt");
        b.start();
        Path sendmail = b.home.dir().resolve("sendmail");
        Files.createSymbolicLink(sendmail, b.home.bin("sendmail"));
        muttrc = b.userFile(".muttrc", String.join("\n",
                "set sendmail=\"" + sendmail + " -oem -oi\"",
                "set hostname=" + TestHome.FQDN,
                "set use_from=yes",
                "set mbox_type=Maildir",
                "set folder=~/Maildir",
                "set spoolfile=~/Maildir",
                "set record=",
                "set quit=yes",
                "set move=no",
                "set wait_key=no",
                "set pipe_split=yes",
                "set pipe_decode=no", ""), "rw-r--r--");
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) {
            b.close();
        }
    }

    @Test
    void muttSendsThroughTheSendmailSymlinkAndReadsTheMaildir() throws Exception {
        TestHome.Result r = b.asUser("hello from mutt\n.a line with a dot\n".getBytes(ISO_8859_1), Map.of(),
                "/usr/bin/mutt", "-n", "-F", muttrc.toString(), "-s", "sent by mutt", USER);
        assertEquals(0, r.exit(), r.errText() + r.outText());
        assertEquals("", r.errText());
        b.sys.awaitIdle();
        b.deliver("someone@example.org", USER + "@" + TestHome.FQDN, "Subject: by smtp\n\nsecond\n");
        List<String> inbox = b.mail("Maildir", 2);
        String sent = inbox.stream().filter(m -> m.contains("\nSubject: sent by mutt\n")).findFirst().orElseThrow();
        assertTrue(sent.contains("\nFrom: " + USER + "@" + TestHome.FQDN + "\n"), sent);
        assertTrue(sent.contains("\nTo: " + USER + "@" + TestHome.FQDN + "\n"), sent);
        assertTrue(sent.endsWith("\n\nhello from mutt\n.a line with a dot\n"), sent);

        Path out = b.uhome.resolve("read-by-mutt");
        r = b.asUser(null, Map.of("TERM", "vt100"), "/usr/bin/script", "-qec", "/usr/bin/mutt -n -F " + muttrc
                + " -f " + b.uhome.resolve("Maildir") + " -e 'push \"<tag-pattern>~A<enter><tag-prefix><pipe-entry>"
                + "cat >> " + out + "<enter><quit>\"'", "/dev/null");
        assertEquals(0, r.exit(), r.errText());
        String read = Files.readString(out, ISO_8859_1);
        // pipe_split gives each message by itself, in the index's order, each followed by a newline.
        List<String> want = inbox.stream().sorted((x, y) -> Boolean.compare(x.contains("by smtp"), y.contains("by smtp")))
                .toList();
        assertTrue(read.equals(want.get(0) + "\n" + want.get(1) + "\n")
                || read.equals(want.get(1) + "\n" + want.get(0) + "\n"), read);
    }
}
