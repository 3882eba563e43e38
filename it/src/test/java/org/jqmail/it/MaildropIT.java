package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Debian's maildrop run from {@code .qmail} as {@code |maildrop}, sorting by the user's
 * {@code ~/.mailfilter} into Maildir++ folders: a message lands in the folder its rule names,
 * byte for byte as queued, and maildrop's temporary failure (a folder that is not there yet,
 * EX_TEMPFAIL 75) is qmail's deferral: the message stays queued, nothing bounces, and it is
 * delivered once the folder exists and qmail-send retries.
 */
@Tag("root")
class MaildropIT {
    static final String USER = "jqdrop";
    static Beside b;

    @BeforeAll
    static void start() throws Exception {
        b = Beside.prepare(USER, "/usr/bin/maildrop");
        MailSystem.maildir(USER, b.uhome.resolve("Maildir/.Urgent"));
        b.userFile(".mailfilter", String.join("\n",
                "if (/^Subject:.*urgent/)",
                "  to \"$HOME/Maildir/.Urgent/\"",
                "if (/^Subject:.*later/)",
                "  to \"$HOME/Maildir/.Later/\"",
                "to \"$HOME/Maildir/\"", ""), "rw-------");
        MailSystem.dotQmail(USER, b.uhome, ".qmail", "|maildrop\n");
        b.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) {
            b.close();
        }
    }

    @Test
    void maildropSortsIntoFoldersByItsRules() throws Exception {
        String urgent = "Subject: urgent: the roof\n\n.a dot line\nbody\n";
        String plain = "Subject: hello\n\nbody\n";
        List<String> log = b.deliver("a@example.org", USER + "@test.example", urgent);
        assertTrue(log.stream().anyMatch(l -> l.matches("delivery \\d+: success: did_0\\+0\\+1/")), log.toString());
        b.deliver("a@example.org", USER + "@test.example", plain);
        List<String> u = b.mail("Maildir/.Urgent", 1);
        assertEquals(1, u.size());
        // The queued message as it is: maildrop adds nothing, qmail-local gave it no Delivered-To.
        assertTrue(u.get(0).startsWith("Received: (qmail ") && u.get(0).endsWith("\n" + urgent), u.get(0));
        List<String> inbox = b.mail("Maildir", 1);
        assertEquals(1, inbox.size());
        assertTrue(inbox.get(0).endsWith("\n" + plain), inbox.get(0));
    }

    @Test
    void aTemporaryFailureDefersAndNeverBounces() throws Exception {
        String later = "Subject: later, please\n\nbody\n";
        String reply = b.sys.smtp("a@example.org", List.of(USER + "@test.example"), later);
        String qp = reply.substring(reply.lastIndexOf(' ') + 1);
        String deferral = b.sys.awaitLog("delivery ", ": deferral: ", Beside.WAIT);
        assertTrue(b.sys.messageLog(qp).isEmpty(), "the message is still queued");
        assertTrue(b.sys.log().stream().noneMatch(l -> l.contains(": failure: ")), b.sys.log().toString());
        Path folder = b.uhome.resolve("Maildir/.Later");
        MailSystem.maildir(USER, folder);
        // qmailctl doqueue: SIGALRM makes qmail-send retry every deferred message now.
        TestHome.exec(List.of("kill", "-ALRM", Long.toString(b.sys.send.pid())), null, Beside.WAIT);
        List<String> log = b.awaitEnd(qp);
        assertTrue(log.stream().anyMatch(l -> l.matches("delivery \\d+: success: .*")), deferral + "\n" + log);
        List<String> got = MailSystem.awaitMail(folder, 1);
        assertTrue(got.get(0).endsWith("\n" + later), got.get(0));
        assertEquals(List.of(), MailSystem.newMail(b.home.alias().resolve("Maildir")), "no bounce to postmaster");
    }
}
