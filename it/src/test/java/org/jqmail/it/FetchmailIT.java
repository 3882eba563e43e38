package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Debian's fetchmail, run by the user, retrieving from our POP3 service (tcpserver,
 * qmail-popup, checkpassword, qmail-pop3d) and handing each message to our SMTP listener for
 * another of the user's addresses, as a site that fetches from a POP3 box does: every message
 * arrives whole, the POP3 Maildir is emptied, and a second run finds no mail (exit 1).
 */
@Tag("root")
class FetchmailIT {
    static final String USER = "jqfetch";
    static Beside b;
    static int popPort;

    @BeforeAll
    static void start() throws Exception {
        b = Beside.prepare(USER, "/usr/bin/fetchmail");
        MailSystem.maildir(USER, b.uhome.resolve("fetched"));
        MailSystem.dotQmail(USER, b.uhome, ".qmail-fetched", "./fetched/\n");
        b.start();
        popPort = b.pop3();
        b.userFile(".fetchmailrc", String.join("\n",
                "set no bouncemail",
                "poll 127.0.0.1 service " + popPort + " protocol pop3 auth password",
                "  user " + USER + " there with password \"" + Pop3IT.PASS + "\" is " + USER + "-fetched here",
                "  smtphost 127.0.0.1/" + b.sys.port + " smtpaddress " + TestHome.FQDN + " fetchall nokeep sslproto ''", ""),
                "rw-------");
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) {
            b.close();
        }
    }

    static TestHome.Result fetchmail() throws Exception {
        return b.asUser(null, Map.of(), "/usr/bin/fetchmail", "-v", "--nodetach", "--pidfile",
                b.uhome.resolve("fetchmail.pid").toString());
    }

    @Test
    void fetchmailRetrievesFromOurPop3AndDeliversThroughOurSmtp() throws Exception {
        String[] bodies = {"Subject: a\n\nshort\n", "Subject: b\n\n.leading dot\n..two dots\nlast line no newline",
            "Subject: c\n\n" + "long line ".repeat(99) + "\n"};
        for (String m : bodies) {
            b.deliver("someone@example.org", USER + "@" + TestHome.FQDN, m);
        }
        List<String> inPop = b.mail("Maildir", 3);
        // qmail-pop3d lists only messages from before the current second.
        long newest = 0;
        for (Path f : MailSystem.newMail(b.uhome.resolve("Maildir"))) {
            newest = Math.max(newest, Files.getLastModifiedTime(f).toMillis() / 1000);
        }
        long n = newest;
        TestHome.await("a second after the last delivery", () -> System.currentTimeMillis() / 1000 > n, Beside.WAIT);
        TestHome.Result r = fetchmail();
        assertEquals(0, r.exit(), r.errText() + r.outText());
        assertTrue((r.errText() + r.outText()).contains("3 messages for " + USER + " at 127.0.0.1"), r.errText() + r.outText());
        b.sys.awaitIdle();
        List<String> fetched = b.mail("fetched", 3);
        assertEquals(3, fetched.size());
        // Each arrives as the POP3 box held it from its first Received line on, under our SMTP's
        // lines and fetchmail's Received (fetchmail drops the Return-Path), with the blank line
        // qmail-pop3d puts after every message, as qmail's does.
        List<String> unmatched = new ArrayList<>(inPop);
        for (String f : fetched) {
            assertTrue(f.contains("\nDelivered-To: " + USER + "-fetched@" + TestHome.FQDN + "\n"), f);
            unmatched.removeIf(p -> f.endsWith(p.substring(p.indexOf("\nReceived: (qmail ")) + "\n"));
        }
        assertEquals(List.of(), unmatched, fetched.toString());
        try (var s = Files.list(b.uhome.resolve("Maildir/cur"))) {
            assertEquals(0, s.count() + MailSystem.newMail(b.uhome.resolve("Maildir")).size(), "POP3 box emptied");
        }
        r = fetchmail();
        assertEquals(1, r.exit(), "fetchmail's exit 1: no mail; " + r.errText() + r.outText());
    }
}
