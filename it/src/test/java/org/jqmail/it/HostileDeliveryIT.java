package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile files of a local user (doc/FAULTS.md §4), through the whole running system: each gets
 * qmail's exact answer in qmail-send's log, and no other mail suffers. A program that floods its
 * output gets its report cut as qmail-lspawn cuts it; a {@code .qmail} file larger than the
 * bound defers as qmail does when it runs out of memory; two {@code .qmail} files forwarding to
 * each other bounce the message as looping; a Maildir that is a symbolic link into another
 * user's mail defers (the delivery runs as the user, who cannot enter it) and leaves that mail
 * alone. Meanwhile an ordinary message to the same user is delivered.
 */
@Tag("root")
class HostileDeliveryIT {
    static final String USER = "hostile";
    static final String VICTIM = "hostilev";
    static final String D = TestHome.FQDN;

    TestHome home;
    MailSystem sys;

    @AfterEach
    void stop() throws Exception {
        if (sys != null) {
            sys.close();
        }
        if (home != null) {
            home.close();
        }
    }

    @Test
    void hostileFilesGetQmailsAnswersAndHurtNoOtherMail() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: real users");
        home = TestHome.create();
        Assumptions.assumeTrue(home.has("qmail-start") && home.has("qmail-smtpd-listener"), "programs not built");
        Path uhome = TestHome.ensureUser(USER);
        MailSystem.emptyHome(uhome);
        MailSystem.maildir(USER, uhome.resolve("Maildir"));
        Path vhome = TestHome.ensureUser(VICTIM);
        MailSystem.emptyHome(vhome);
        Path victimMail = vhome.resolve("Maildir");
        MailSystem.maildir(VICTIM, victimMail);
        Files.setPosixFilePermissions(victimMail, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));

        MailSystem.dotQmail(USER, uhome, ".qmail-flood", "|yes flood | head -c 20000000; exit 100\n");
        MailSystem.dotQmail(USER, uhome, ".qmail-loopa", "&" + USER + "-loopb@" + D + "\n");
        MailSystem.dotQmail(USER, uhome, ".qmail-loopb", "&" + USER + "-loopa@" + D + "\n");
        MailSystem.dotQmail(USER, uhome, ".qmail-sym", "./sym/\n");
        Files.createSymbolicLink(uhome.resolve("sym"), victimMail);
        StringBuilder huge = new StringBuilder(9 * 1024 * 1024 + 64);
        while (huge.length() < 9 * 1024 * 1024) {
            huge.append("# a comment line to make the file larger than the bound\n");
        }
        MailSystem.dotQmail(USER, uhome, ".qmail-huge", huge + "./Maildir/\n");
        sys = new MailSystem(home).start();

        List<String> flood = deliveries("flood", "failure");
        // spawn.c keeps 3000 - 31 - 3 bytes of the output and appends its notice.
        String cut = "flood\n".repeat(500).substring(0, 2966) + "\nError report too long, sorry.\n";
        assertEquals("failure: " + cut.replace('\n', '/').replace(' ', '_'), tail(flood.get(0)));
        String loop = "failure: This_message_is_looping:_it_already_has_my_Delivered-To_line._(#5.4.6)/";
        String loopQp = send("loopa");
        TestHome.await("the looping message's bounce", () -> sys.log().stream().anyMatch(l -> l.endsWith(": " + loop)),
                Duration.ofSeconds(90));
        assertEquals(1, sys.log().stream().filter(l -> l.endsWith(": " + loop)).count(), "looping failures of " + loopQp);
        assertEquals("deferral: Unable_to_chdir_to_maildir._(#4.2.1)/",
                tail(deliveries("sym", "deferral").get(0)));
        assertEquals("deferral: Out_of_memory._(#4.3.0)/", tail(deliveries("huge", "deferral").get(0)));

        String ok = sys.smtp(USER + "@" + D, List.of(USER + "@" + D), "Subject: fine\n\nstill delivered\n");
        assertTrue(ok.startsWith("250 ok "), ok);
        TestHome.await("the ordinary message and the bounces of flood and loop", () -> MailSystem.newMail(
                uhome.resolve("Maildir")).size() >= 3, Duration.ofSeconds(60));
        List<String> got = MailSystem.awaitMail(uhome.resolve("Maildir"), 3);
        assertEquals(1, got.stream().filter(m -> m.contains("Subject: fine\n\nstill delivered\n")).count());
        assertEquals(2, got.stream().filter(m -> m.startsWith("Return-Path: <>\n")).count(), "bounces");
        assertEquals(List.of(), MailSystem.newMail(victimMail), "the victim's Maildir");
        try (var s = Files.list(victimMail.resolve("tmp"))) {
            assertEquals(0, s.count(), "the victim's Maildir/tmp");
        }
    }

    static String tail(String logLine) {
        return logLine.substring(logLine.indexOf(": ") + 2);
    }

    /**
     * Sends a message to USER-EXT and returns qmail-send's delivery result lines for it, once
     * one of {@code kind} ({@code failure} or {@code deferral}) is there.
     */
    List<String> deliveries(String ext, String kind) throws Exception {
        String qp = send(ext);
        @SuppressWarnings("unchecked")
        List<String>[] hit = new List[1];
        TestHome.await(ext + "'s delivery result", () -> {
            hit[0] = results(qp, kind);
            return !hit[0].isEmpty();
        }, Duration.ofSeconds(90));
        return hit[0];
    }

    /** Sends a message to USER-EXT by SMTP; returns its qp. */
    String send(String ext) throws Exception {
        String reply = sys.smtp(USER + "@" + D, List.of(USER + "-" + ext + "@" + D), "Subject: " + ext + "\n\nbody\n");
        assertTrue(reply.startsWith("250 ok "), reply);
        return reply.substring(reply.lastIndexOf(' ') + 1);
    }

    /** The {@code delivery N: KIND: ...} lines of the message queued with {@code qp}. */
    List<String> results(String qp, String kind) {
        List<String> log = sys.log();
        String id = null;
        for (String l : log) {
            if (l.startsWith("info msg ") && l.contains(" qp " + qp + " uid ")) {
                id = l.substring("info msg ".length(), l.indexOf(':'));
            }
        }
        if (id == null) {
            return List.of();
        }
        java.util.Set<String> dels = new java.util.HashSet<>();
        for (String l : log) {
            if (l.startsWith("starting delivery ") && l.contains(": msg " + id + " to ")) {
                dels.add(l.substring("starting delivery ".length(), l.indexOf(':')));
            }
        }
        return log.stream().filter(l -> l.startsWith("delivery ") && l.contains(": " + kind + ": ")
                && dels.contains(l.substring("delivery ".length(), l.indexOf(':')))).toList();
    }
}
