package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Virtual domains the vpopmail way: {@code control/virtualdomains} maps {@code virt.example}
 * to the one delivery account {@code jqvirt}, {@code users/assign} maps {@code jqvirt-} and its
 * extensions to that account, and its {@code .qmail-default} runs a small delivery script per
 * virtual user ({@code ~/domains/HOST/USER/Maildir/}). qmail-smtpd accepts any recipient of a
 * domain in rcpthosts and refuses others; an unknown virtual user is accepted at RCPT and
 * bounced by qmail-send with the script's words, as qmail does it.
 */
@Tag("root")
class VirtualDomainsIT {
    static final String USER = "jqvirt";
    static final String DOMAIN = "virt.example";
    static Beside b;

    @BeforeAll
    static void start() throws Exception {
        b = Beside.prepare(USER, "/bin/sh");
        b.home.control("virtualdomains", DOMAIN + ":" + USER + "\n");
        b.home.control("rcpthosts", TestHome.FQDN + "\n" + DOMAIN + "\n");
        // No relaying for 127.0.0.1 either: RCPT answers as to any client on the network.
        b.tcpRules(":allow\n");
        b.userFile("vdeliver", String.join("\n",
                "#!/bin/sh",
                "# Delivers to ~/domains/$HOST/$EXT/Maildir/ (both in lower case; Maildir's tmp, then new), with the",
                "# Return-Path and Delivered-To lines qmail-local puts on a mailbox delivery.",
                "u=`echo \"$EXT\" | tr A-Z a-z`",
                "h=`echo \"$HOST\" | tr A-Z a-z`",
                "d=\"$HOME/domains/$h/$u/Maildir\"",
                "test -n \"$u\" && test -d \"$d/new\" || { echo 'Sorry, no mailbox here by that name. (#5.1.1)'; exit 100; }",
                "f=`date +%s`.$$.`hostname`",
                "{ printf '%s%s' \"$RPLINE\" \"$DTLINE\"; cat; } > \"$d/tmp/$f\" || exit 111",
                "mv \"$d/tmp/$f\" \"$d/new/$f\" || exit 111", ""), "rwxr-xr-x");
        MailSystem.dotQmail(USER, b.uhome, ".qmail-default", "|./vdeliver\n");
        for (String u : List.of("alice", "bob")) {
            Files.createDirectories(b.uhome.resolve("domains").resolve(DOMAIN).resolve(u));
            MailSystem.maildir(USER, b.uhome.resolve("domains").resolve(DOMAIN).resolve(u).resolve("Maildir"));
        }
        MailSystem.chown(USER, b.uhome.resolve("domains"));
        b.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) {
            b.close();
        }
    }

    static Path box(String u) {
        return b.uhome.resolve("domains").resolve(DOMAIN).resolve(u).resolve("Maildir");
    }

    @Test
    void eachVirtualUserGetsItsOwnMail() throws Exception {
        b.deliver("someone@example.org", "alice@" + DOMAIN, "Subject: for alice\n\nhi\n");
        b.deliver("someone@example.org", "Bob@VIRT.Example", "Subject: for bob\n\nhi\n");
        String a = MailSystem.awaitMail(box("alice"), 1).get(0);
        assertTrue(a.startsWith("Return-Path: <someone@example.org>\nDelivered-To: " + USER + "-alice@" + DOMAIN
                + "\nReceived: (qmail "), a);
        assertTrue(a.endsWith("\nSubject: for alice\n\nhi\n"), a);
        String bob = MailSystem.awaitMail(box("bob"), 1).get(0);
        // The script folds the case of the user's name; the domain is the same in any case.
        assertTrue(bob.startsWith("Return-Path: <someone@example.org>\n")
                && bob.toLowerCase().contains("\ndelivered-to: " + USER + "-bob@" + DOMAIN + "\n"), bob);
        assertEquals(1, MailSystem.newMail(box("alice")).size());
        assertEquals(List.of(), MailSystem.newMail(b.uhome.resolve("Maildir")));
    }

    @Test
    void rcptAcceptsAnyUserOfTheDomainAndAnUnknownOneBounces() throws Exception {
        try (Smtp s = Smtp.connect(b.sys.port, "127.0.0.1")) {
            assertEquals("220 test.example ESMTP", s.reply());
            assertEquals("250 test.example", s.cmd("HELO relay.example"));
            assertEquals("250 ok", s.cmd("MAIL FROM:<postmaster@" + TestHome.FQDN + ">"));
            assertEquals("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
                    s.cmd("RCPT TO:<carol@elsewhere.example>"));
            assertEquals("250 ok", s.cmd("RCPT TO:<carol@" + DOMAIN + ">"));
            assertEquals("354 go ahead", s.cmd("DATA"));
            s.send("Subject: for carol\r\n\r\nhi\r\n.\r\n");
            String reply = s.reply();
            assertTrue(reply.startsWith("250 ok "), reply);
            assertEquals("221 test.example", s.cmd("QUIT"));
            List<String> log = b.awaitEnd(reply.substring(reply.lastIndexOf(' ') + 1));
            assertTrue(log.stream().anyMatch(l -> l.matches(
                    "delivery \\d+: failure: Sorry,_no_mailbox_here_by_that_name._\\(#5\\.1\\.1\\)/")), log.toString());
        }
        String bounce = MailSystem.awaitMail(b.home.alias().resolve("Maildir"), 1).get(0);
        assertTrue(java.util.regex.Pattern.compile(Qsbmf.notice(TestHome.FQDN, "postmaster@" + TestHome.FQDN,
                "carol@" + DOMAIN, "Sorry, no mailbox here by that name. (#5.1.1)")).matcher(bounce).find(), bounce);
        assertTrue(bounce.endsWith("\nSubject: for carol\n\nhi\n"), bounce);
    }
}
