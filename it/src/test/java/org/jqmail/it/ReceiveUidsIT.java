package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Privilege separation of the receive path (doc/ARCHITECTURE.md §3, §4, §6), read from
 * {@code /proc}: qmail-queued started as root runs as qmailq with only the qmail group, the
 * listener started as root with {@code -u qmaild -g nofiles} runs as qmaild with only nofiles, in
 * every thread (real, effective, saved and file-system ids). And qmail-queued records the submitter's real
 * uid from the kernel: a message queued by {@code nobody} through {@code bin/qmail-queue} says
 * {@code invoked by uid N} and {@code uN}, with the qp the pid of the qmail-queue process its
 * caller forked (the kernel's, not the client's word), and one from the listener {@code from
 * network} with a qp of the server's numbering.
 */
@Tag("root")
class ReceiveUidsIT {
    private static List<String> idLines(long pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            List<Path> all = tasks.collect(Collectors.toList());
            assertTrue(all.size() > 1, "a JVM has several threads");
            StringBuilder sb = new StringBuilder();
            for (Path t : all) {
                for (String l : Files.readAllLines(t.resolve("status"), ISO_8859_1)) {
                    if (l.startsWith("Uid:") || l.startsWith("Gid:") || l.startsWith("Groups:")) {
                        sb.append(l.trim().replaceAll("\\s+", " ")).append('\n');
                    }
                }
            }
            return List.of(sb.toString().split("\n"));
        }
    }

    private static void assertRunsAs(long pid, int uid, int gid) throws IOException {
        for (String l : idLines(pid)) {
            if (l.startsWith("Uid:")) {
                assertEquals("Uid: " + uid + " " + uid + " " + uid + " " + uid, l);
            } else if (l.startsWith("Gid:")) {
                assertEquals("Gid: " + gid + " " + gid + " " + gid + " " + gid, l);
            } else {
                assertEquals("Groups: " + gid, l);
            }
        }
    }

    @Test
    void listenerRunsAsQmaildAndQueuedAsQmailq() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root");
        try (ReceiveRig rig = ReceiveRig.create(ReceiveRig.Mode.LISTENER)) {
            int qmailq = TestHome.uid("qmailq");
            int qmail = TestHome.gid("qmailq");
            int qmaild = TestHome.uid("qmaild");
            int nofiles = TestHome.gid("qmaild");
            try (Smtp s = rig.connect()) {
                assertEquals("220 test.example ESMTP", s.reply());
                assertEquals("250 ok", s.cmd("NOOP"));
                assertRunsAs(rig.queued.pid(), qmailq, qmail);
                assertRunsAs(rig.smtpd.pid(), qmaild, nofiles);
            }
            assertEquals(qmailq, (int) Files.getAttribute(rig.socket(), "unix:uid"));
        }
    }

    @Test
    void queueRecordsTheKernelsIdeaOfTheSubmitter() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root");
        try (ReceiveRig rig = ReceiveRig.create(ReceiveRig.Mode.LISTENER)) {
            Path msg = rig.home.dir().resolve("msg");
            Path env = rig.home.dir().resolve("env");
            Files.write(msg, "Subject: from nobody\n\nhi\n".getBytes(ISO_8859_1));
            Files.write(env, "Fnobody@test.example\0Tjoe@test.example\0\0".getBytes(ISO_8859_1));
            // As a C caller runs qmail-queue: fork, then exec (sh, setpriv and the launcher
            // all exec in turn, so the JVM is the very process the caller forked).
            Process p = new ProcessBuilder("sh", "-c", "exec setpriv --reuid nobody --regid nogroup"
                    + " --clear-groups " + rig.home.bin("qmail-queue") + " <" + msg + " 1<" + env)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            assertTrue(p.waitFor(ReceiveRig.START.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            int nobody = TestHome.uid("nobody");
            ReceiveRig.Queued q = rig.read(rig.todo().get(0));
            // The qp is the kernel's pid of the submitter, the process the caller forked.
            assertEquals("u" + nobody + "\0p" + p.pid() + "\0Fnobody@test.example\0Tjoe@test.example\0", q.todoText());
            assertTrue(q.messText().matches("(?s)Received: \\(qmail " + p.pid() + " invoked by uid " + nobody
                    + "\\); [^\n]+\nSubject: from nobody\n\nhi\n"), q.messText());
            try (Smtp s = rig.connect()) {
                assertEquals("220 test.example ESMTP", s.reply());
                assertEquals("250 ok", s.cmd("MAIL FROM:<a@b>"));
                assertEquals("250 ok", s.cmd("RCPT TO:<joe@test.example>"));
                assertEquals("354 go ahead", s.cmd("DATA"));
                s.send(".\r\n");
                String reply = s.reply();
                long qp = Long.parseLong(reply.substring(reply.lastIndexOf(' ') + 1));
                ReceiveRig.Queued n = rig.byQp(qp).orElseThrow();
                assertTrue(n.todoText().startsWith("u" + TestHome.uid("qmaild") + "\0p" + qp + "\0"));
                assertTrue(n.messText().startsWith("Received: (qmail " + qp + " invoked from network); "));
            }
        }
    }
}
