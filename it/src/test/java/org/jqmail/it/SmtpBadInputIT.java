package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile and broken clients against the long-lived listener, where one bad session could
 * hurt all the others: command lines of a megabyte, NUL bytes, binary garbage, a DATA phase
 * that never ends, a client that stops talking. Each gets qmail-smtpd's reply or a clean
 * close, the listener's memory stays bounded (its peak RSS is checked at the end), and a
 * normal client is served while all of that goes on.
 *
 * <p>Threat: a remote client exhausting memory (the Guninski-class overflows, CVE-2005-1513 to
 * CVE-2005-1515) or threads of the shared process, or smuggling commands through NUL bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmtpBadInputIT {
    private static final Pattern ACCEPT = Pattern.compile("250 ok \\d+ qp \\d+");
    /** Peak resident memory allowed for the listener JVM (its heap is capped at 256 MB). */
    private static final long MAX_RSS_KB = 400 * 1024;

    private ReceiveRig rig;

    @BeforeAll
    void start() throws Exception {
        rig = ReceiveRig.create(ReceiveRig.Mode.LISTENER);
    }

    @AfterAll
    void stop() throws IOException {
        if (rig != null) {
            try {
                long hwm = peakRssKb(rig.smtpd.pid());
                System.out.println("SmtpBadInputIT: listener peak RSS " + hwm + " kB");
                assertTrue(hwm < MAX_RSS_KB, "listener peak RSS " + hwm + " kB");
                assertTrue(rig.smtpd.alive(), "listener died: " + rig.smtpd.err());
            } finally {
                rig.close();
            }
        }
    }

    @AfterEach
    void defaults() throws IOException {
        Files.deleteIfExists(rig.home.control().resolve("databytes"));
        Files.deleteIfExists(rig.home.control().resolve("timeoutsmtpd"));
        normalClientIsServed();
    }

    private static long peakRssKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"), ISO_8859_1)) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmHWM");
    }

    private void normalClientIsServed() throws IOException {
        try (Smtp s = rig.connect()) {
            assertEquals("220 test.example ESMTP", s.reply());
            assertEquals("250 ok", s.cmd("MAIL FROM:<a@b>"));
            assertEquals("250 ok", s.cmd("RCPT TO:<joe@test.example>"));
            assertEquals("354 go ahead", s.cmd("DATA"));
            s.send("Subject: fine\r\n\r\nstill here\r\n.\r\n");
            assertTrue(ACCEPT.matcher(s.reply()).matches());
            assertEquals("221 test.example", s.cmd("QUIT"));
        }
    }

    /** Sends {@code b} while another thread reads the first reply line (the server may answer early). */
    private static String replyWhileSending(Smtp s, byte[] b) throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<String> r = ex.submit(s::line);
            try {
                s.send(b);
            } catch (IOException e) {
                // The server may have closed already; its reply is what counts.
            }
            return r.get(60, TimeUnit.SECONDS);
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void megabyteCommandLineIsOutOfMemoryAndClosed() throws Exception {
        try (Smtp s = rig.connect()) {
            assertEquals("220 test.example ESMTP", s.reply());
            byte[] line = ("NOOP " + "x".repeat(1024 * 1024) + "\r\n").getBytes(ISO_8859_1);
            assertEquals("421 out of memory (#4.3.0)", replyWhileSending(s, line));
            assertTrue(s.closedByServer());
        }
    }

    @Test
    void endlessLineWithoutNewlineIsOutOfMemoryAndClosed() throws Exception {
        try (Smtp s = rig.connect()) {
            assertEquals("220 test.example ESMTP", s.reply());
            byte[] junk = new byte[4 * 1024 * 1024];
            new Random(1).nextBytes(junk);
            for (int i = 0; i < junk.length; i++) {
                if (junk[i] == '\n') {
                    junk[i] = 'n';
                }
            }
            assertEquals("421 out of memory (#4.3.0)", replyWhileSending(s, junk));
        }
    }

    @Test
    void nulBytesEndCommandLinesAndPassThroughData() throws IOException {
        try (Smtp s = rig.connect()) {
            assertEquals("220 test.example ESMTP", s.reply());
            assertEquals("502 unimplemented (#5.5.1)", s.cmd("\0NOOP"));
            assertEquals("250 ok", s.cmd("NOOP\0 anything"));
            assertEquals("250 ok", s.cmd("MAIL FROM:<a@b\0>smuggled"));
            assertEquals("250 ok", s.cmd("RCPT TO:<joe@test.example>\0RCPT TO:<evil@elsewhere>"));
            assertEquals("354 go ahead", s.cmd("DATA"));
            s.send("Subject: nul\r\n\r\na\0b\r\n.\r\n");
            String r = s.reply();
            assertTrue(ACCEPT.matcher(r).matches(), r);
            ReceiveRig.Queued q = rig.byQp(Long.parseLong(r.substring(r.lastIndexOf(' ') + 1))).orElseThrow();
            assertTrue(q.todoText().endsWith("\0Fa@b\0Tjoe@test.example\0"), q.todoText());
            assertTrue(q.messText().endsWith("\nSubject: nul\n\na\0b\n"), q.messText());
        }
    }

    @Test
    void binaryGarbageLinesAreUnimplemented() throws IOException {
        Random r = new Random(7);
        List<byte[]> lines = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[1 + r.nextInt(2000)];
            r.nextBytes(b);
            for (int k = 0; k < b.length; k++) {
                if (b[k] == '\n') {
                    b[k] = 0;
                }
            }
            lines.add(b);
            all.append(new String(b, ISO_8859_1)).append("\r\n");
        }
        try (Smtp s = rig.connect()) {
            assertEquals("220 test.example ESMTP", s.reply());
            s.send(all.toString());
            for (int i = 0; i < lines.size(); i++) {
                assertEquals("502 unimplemented (#5.5.1)", s.reply(), "line " + i);
            }
            assertEquals("250 ok", s.cmd("NOOP"));
        }
    }

    @Test
    void neverEndingDataIsStreamedNotBuffered() throws IOException {
        rig.home.control("databytes", "1000\n");
        try (Smtp s = rig.connect()) {
            assertEquals("220 test.example ESMTP", s.reply());
            assertEquals("250 ok", s.cmd("MAIL FROM:<a@b>"));
            assertEquals("250 ok", s.cmd("RCPT TO:<joe@test.example>"));
            assertEquals("354 go ahead", s.cmd("DATA"));
            byte[] chunk = ("x".repeat(998) + "\r\n").repeat(1024).getBytes(ISO_8859_1);
            // 512 MB: twice the listener's heap limit.
            for (int i = 0; i < 512; i++) {
                s.send(chunk);
            }
            s.send(".\r\n");
            assertEquals("552 sorry, that message size exceeds my databytes limit (#5.3.4)", s.reply());
            assertEquals("250 ok", s.cmd("NOOP"));
        }
    }

    @Test
    void abandonedDataLeavesNothingInTheQueue() throws Exception {
        int before = rig.files("mess").size();
        try (Smtp s = rig.connect()) {
            assertEquals("220 test.example ESMTP", s.reply());
            assertEquals("250 ok", s.cmd("MAIL FROM:<a@b>"));
            assertEquals("250 ok", s.cmd("RCPT TO:<joe@test.example>"));
            assertEquals("354 go ahead", s.cmd("DATA"));
            s.send(("y".repeat(998) + "\r\n").repeat(10_000));
        }
        TestHome.await("the abandoned message to be cleaned up", () -> rig.files("mess").size() == before
                && rig.files("intd").size() == rig.todo().size(), ReceiveRig.START);
    }

    @Test
    void silentClientTimesOut() throws IOException {
        rig.home.control("timeoutsmtpd", "2\n");
        try (Smtp s = rig.connect()) {
            long t0 = System.nanoTime();
            assertEquals("220 test.example ESMTP", s.reply());
            assertEquals("451 timeout (#4.4.2)", s.reply());
            assertTrue(s.closedByServer());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 1900 && ms < 10_000, ms + " ms");
        }
    }

    @Test
    void clientSilentInDataTimesOutAndNothingIsQueued() throws Exception {
        rig.home.control("timeoutsmtpd", "2\n");
        int before = rig.files("mess").size();
        int todo = rig.todo().size();
        try (Smtp s = rig.connect()) {
            assertEquals("220 test.example ESMTP", s.reply());
            assertEquals("250 ok", s.cmd("MAIL FROM:<a@b>"));
            assertEquals("250 ok", s.cmd("RCPT TO:<joe@test.example>"));
            assertEquals("354 go ahead", s.cmd("DATA"));
            s.send("Subject: half\r\n\r\nthe rest never comes\r\n");
            assertEquals("451 timeout (#4.4.2)", s.reply());
            assertTrue(s.closedByServer());
        }
        assertEquals(todo, rig.todo().size(), "nothing of the half message was queued");
        TestHome.await("the half message to be cleaned up", () -> rig.files("mess").size() == before
                && rig.files("intd").size() == rig.todo().size(), ReceiveRig.START);
    }

    @Test
    void qmailSmtpdOnPipesTimesOutLikeQmail() throws Exception {
        rig.home.control("timeoutsmtpd", "1\n");
        TestHome.Result r = TestHome.exec(List.of("sh", "-c", "(printf 'HELO x\\r\\n'; sleep 4) | "
                + rig.home.bin("qmail-smtpd")), null, ReceiveRig.START);
        assertEquals(1, r.exit());
        assertEquals("220 test.example ESMTP\r\n250 test.example\r\n451 timeout (#4.4.2)\r\n", r.outText());
    }

    @Test
    void slowButSteadyClientIsServed() throws Exception {
        rig.home.control("timeoutsmtpd", "2\n");
        try (Smtp s = rig.connect()) {
            assertEquals("220 test.example ESMTP", s.reply());
            for (byte b : "NOOP\r\n".getBytes(ISO_8859_1)) {
                s.send(new byte[] {b});
                Thread.sleep(500);
            }
            assertEquals("250 ok", s.reply());
        }
    }

    @Test
    void manyBadClientsAtOnceDoNotStopService() throws Exception {
        rig.home.control("timeoutsmtpd", "3\n");
        ExecutorService ex = Executors.newFixedThreadPool(12);
        List<Future<?>> bad = new ArrayList<>();
        List<Smtp> open = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                Smtp s = rig.connect();
                open.add(s);
                int kind = i % 3;
                bad.add(ex.submit(() -> {
                    s.reply();
                    if (kind == 0) {
                        return null;
                    }
                    if (kind == 1) {
                        s.send("MAIL FROM:<a@b>\r\nRCPT TO:<joe@test.example>\r\nDATA\r\n");
                        s.send("z".repeat(500_000));
                        return null;
                    }
                    return replyWhileSending(s, ("HELO " + "h".repeat(2_000_000)).getBytes(ISO_8859_1));
                }));
            }
            for (int i = 0; i < 5; i++) {
                normalClientIsServed();
            }
            for (Future<?> f : bad) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            ex.shutdownNow();
            for (Smtp s : open) {
                s.close();
            }
        }
    }
}
