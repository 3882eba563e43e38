package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A full disk (doc/FAULTS.md §3): the queue on an 8 MB tmpfs. Messages are accepted while
 * qmail-send is down, then the file system is filled; while it is full every SMTP message gets
 * qmail's exact temporary answer and qmail-send, started on the full disk, cannot preprocess
 * what waits in {@code todo/}. Once space returns, everything accepted is delivered, byte for
 * byte, and so is every message the clients try again; nothing is lost.
 */
@Tag("root")
class DiskFullIT {
    static final String USER = "diskfull";
    static final String D = TestHome.FQDN;
    static final String FULL = "451 qq write error or disk full (#4.3.0)";
    static final int BEFORE = 6;
    static final int REFUSED = 4;

    TestHome home;
    MailSystem sys;
    boolean mounted;

    @AfterEach
    void stop() throws Exception {
        if (sys != null) {
            sys.close();
        }
        if (mounted) {
            TestHome.exec(List.of("umount", home.queue().toString()), null, Duration.ofSeconds(30));
        }
        if (home != null) {
            home.close();
        }
    }

    static void run(String... argv) throws Exception {
        TestHome.Result r = TestHome.exec(List.of(argv), null, Duration.ofSeconds(60));
        assertEquals(0, r.exit(), String.join(" ", argv) + ": " + r.errText());
    }

    /** The installed queue, moved onto a fresh 8 MB tmpfs mounted in its place. */
    void queueOnTmpfs() throws Exception {
        Path q = home.queue();
        Path saved = home.dir().resolve("queue.orig");
        run("cp", "-a", q.toString(), saved.toString());
        run("mount", "-t", "tmpfs", "-o", "size=8m", "jqmail-diskfull", q.toString());
        mounted = true;
        run("cp", "-a", saved + "/.", q.toString());
        run("chown", "--reference=" + saved, q.toString());
        run("chmod", "--reference=" + saved, q.toString());
    }

    /** One SMTP transaction; returns the reply to the final dot. */
    String send(int i) throws Exception {
        try (Smtp s = Smtp.connect(sys.port, "127.0.0.1")) {
            assertTrue(s.reply().startsWith("220 "));
            assertTrue(s.cmd("HELO it").startsWith("250 "));
            assertEquals("250 ok", s.cmd("MAIL FROM:<" + USER + "@" + D + ">"));
            assertEquals("250 ok", s.cmd("RCPT TO:<" + USER + "@" + D + ">"));
            assertEquals("354 go ahead", s.cmd("DATA"));
            StringBuilder sb = new StringBuilder();
            for (String line : DeliveryCrashIT.message(i).split("\n", -1)) {
                sb.append(line.startsWith(".") ? "." + line : line).append("\r\n");
            }
            sb.setLength(sb.length() - 2);
            s.send(sb + ".\r\n");
            String r = s.reply();
            s.cmd("QUIT");
            return r;
        }
    }

    @Test
    void fullQueueAnswers451AndLosesNothing() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: mount, real users");
        home = TestHome.create();
        Assumptions.assumeTrue(home.has("qmail-start") && home.has("qmail-smtpd-listener"), "programs not built");
        Path uhome = TestHome.ensureUser(USER);
        MailSystem.emptyHome(uhome);
        Path maildir = uhome.resolve("Maildir");
        MailSystem.maildir(USER, maildir);
        queueOnTmpfs();
        sys = new MailSystem(home).start();
        home.stop(sys.send);

        for (int i = 0; i < BEFORE; i++) {
            assertTrue(send(i).startsWith("250 ok "), "message " + i + " before the disk is full");
        }
        Path fill = home.queue().resolve("fill");
        TestHome.Result dd = TestHome.exec(List.of("dd", "if=/dev/zero", "of=" + fill, "bs=64k"), null,
                Duration.ofSeconds(60));
        assertTrue(dd.errText().contains("No space left on device"), dd.errText());
        sys.startSend();
        sys.awaitLog("warning: ", Duration.ofSeconds(60));

        List<String> replies = new ArrayList<>();
        for (int i = BEFORE; i < BEFORE + REFUSED; i++) {
            replies.add(send(i));
        }
        assertEquals(List.of(FULL, FULL, FULL, FULL), replies);
        assertEquals(List.of(), MailSystem.newMail(maildir), "delivered from a full queue");

        Files.delete(fill);
        for (int i = BEFORE; i < BEFORE + REFUSED; i++) {
            assertTrue(send(i).startsWith("250 ok "), "message " + i + " after space returned");
        }
        TestHome.await("every message delivered", () -> MailSystem.newMail(maildir).size() >= BEFORE + REFUSED,
                Duration.ofSeconds(120));
        sys.awaitIdle();
        Map<Integer, Integer> copies = DeliveryCrashIT.check(maildir, DeliveryCrashIT.header(USER));
        List<String> warnings = sys.log().stream().filter(l -> l.startsWith("warning: ")).toList();
        System.out.println(getClass().getSimpleName() + ": " + BEFORE + " accepted before the disk filled, "
                + REFUSED + " answered \"" + FULL + "\" while full, " + copies.size() + " delivered after, "
                + copies.values().stream().mapToInt(n -> n - 1).sum() + " duplicates; qmail-send's warnings: " + warnings);
        for (int i = 0; i < BEFORE + REFUSED; i++) {
            assertEquals(1, copies.getOrDefault(i, 0), "copies of message " + i);
        }
        assertEquals(0, sys.log().stream().filter(l -> l.contains(": failure: ")).count(), "permanent failures");
    }
}
