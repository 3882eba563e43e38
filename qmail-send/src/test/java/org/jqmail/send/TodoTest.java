package org.jqmail.send;

import static org.jqmail.send.QueueFixture.b;
import static org.jqmail.send.QueueFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TodoTest {
    @TempDir
    Path home;
    QueueFixture f;
    ByteArrayOutputStream cleanRequests = new ByteArrayOutputStream();
    Schedule pq;

    @BeforeEach
    void setUp() throws IOException {
        f = new QueueFixture(home);
        f.control("locals", "example.test");
        pq = new Schedule(f.files, f.log, f.st);
    }

    private Todo todo(String cleanReplies) throws IOException {
        Clean clean = new Clean(cleanRequests, new ByteArrayInputStream(b(cleanReplies)), f.log, f.st);
        return new Todo(f.files, f.controls(), f.log, clean, pq, f.st, new Trigger(null, new Events()));
    }

    @Test
    void preprocessingWritesInfoAndChannelFilesAndLogs() throws IOException {
        f.queueMessage(457, "Received: x\n\nhello\n",
                "u666\0p20345\0Fme@example.test\0Tme@example.test\0Tyou@remote.example\0Tnoat\0"
                        + "TOther@EXAMPLE.TEST\0");
        todo("+").preprocess(457);
        assertEquals("Fme@example.test\0", s(f.read("info/20/457")));
        assertEquals("Tme@example.test\0Tnoat@example.test\0TOther@EXAMPLE.TEST\0", s(f.read("local/20/457")));
        assertEquals("Tyou@remote.example\0", s(f.read("remote/20/457")));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f.queue.resolve("info/20/457"))));
        assertEquals(List.of("new msg 457",
                "info msg 457: bytes 19 from <me@example.test> qp 20345 uid 666"), f.logLines());
        assertEquals("todo/457\0", s(cleanRequests.toByteArray()));
        assertEquals(457, pq.chan[0].min().id());
        assertEquals(457, pq.chan[1].min().id());
        assertNull(pq.done.min());
    }

    @Test
    void recycledFilesGetExactlyTheNewRecords() throws IOException {
        Files.createDirectories(f.queue.resolve("spare"));
        f.files = new QueueFiles(f.queue, QueueFixture.SPLIT);
        // A finished message with long records leaves its files as spares.
        Files.write(f.queue.resolve("info/1/1"), b("F" + "x".repeat(300) + "@example.test\0"));
        Files.write(f.queue.resolve("local/2/2"), b("D" + "y".repeat(500) + "@example.test\0"));
        for (String fn : List.of("info/1/1", "local/2/2")) {
            Files.setPosixFilePermissions(f.queue.resolve(fn), PosixFilePermissions.fromString("rw-------"));
            f.files.spares().remove(fn);
        }
        assertFalse(Files.exists(f.queue.resolve("info/1/1")));
        assertEquals(2, f.files.spares().count());
        assertEquals(2, Files.list(f.queue.resolve("spare")).count());
        f.queueMessage(457, "Received: x\n\nhello\n", "u666\0p20345\0Fme@example.test\0Tme@example.test\0");
        todo("+").preprocess(457);
        assertEquals("Fme@example.test\0", s(f.read("info/20/457")));
        assertEquals("Tme@example.test\0", s(f.read("local/20/457")));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f.queue.resolve("local/20/457"))));
        assertEquals(0, f.files.spares().count());
        assertEquals(0, Files.list(f.queue.resolve("spare")).count());
        // A new start takes over what is left in spare/, and drops what is not its own.
        f.files.spares().remove("info/20/457");
        Files.write(f.queue.resolve("spare/junk"), b("x"));
        QueueFiles again = new QueueFiles(f.queue, QueueFixture.SPLIT);
        assertEquals(1, again.spares().count());
        assertFalse(Files.exists(f.queue.resolve("spare/junk")));
    }

    @Test
    void withoutSpareDirectoryFilesAreUnlinked() throws IOException {
        Files.write(f.queue.resolve("info/1/1"), b("Fa\0"));
        f.files.spares().remove("info/1/1");
        assertFalse(Files.exists(f.queue.resolve("info/1/1")));
        assertEquals(0, f.files.spares().count());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> f.files.spares().remove("info/1/1"));
    }

    @Test
    void senderIsLogSafeAndRecordsWithoutRecipientsCompleteAtOnce() throws IOException {
        f.queueMessage(5, "x", "u0\0p1\0Fa b%c\nd\0");
        todo("+").preprocess(5);
        assertEquals(List.of("new msg 5", "info msg 5: bytes 1 from <a_b_c/d> qp 1 uid 0"), f.logLines());
        assertFalse(f.exists("local/5/5"));
        assertFalse(f.exists("remote/5/5"));
        assertEquals(5, pq.done.min().id());
    }

    @Test
    void unknownRecordLeavesTheMessageForTheNextScan() throws IOException {
        f.queueMessage(6, "x", "u0\0p1\0Fa@b\0Xwhat\0");
        todo("+").preprocess(6);
        assertEquals(List.of("new msg 6", "info msg 6: bytes 1 from <a@b> qp 1 uid 0",
                "warning: unknown record type in todo/6"), f.logLines());
        assertTrue(f.exists("todo/6"));
        assertEquals("", s(cleanRequests.toByteArray()));
        assertNull(pq.chan[0].min());
        assertNull(pq.done.min());
    }

    @Test
    void reprocessingReplacesEarlierPartialFiles() throws IOException {
        f.queueMessage(7, "x", "Fa@b\0Tc@example.test\0");
        Files.write(f.queue.resolve("info/7/7"), b("junk"));
        Files.write(f.queue.resolve("local/7/7"), b("junk"));
        todo("+").preprocess(7);
        assertEquals("Fa@b\0", s(f.read("info/7/7")));
        assertEquals("Tc@example.test\0", s(f.read("local/7/7")));
        assertEquals("info msg 7: bytes 1 from <a@b> qp 0 uid 0", f.logLines().get(1));
    }

    @Test
    void missingMessageAndRefusedCleanupAreWarnings() throws IOException {
        Files.write(f.queue.resolve("todo/8"), b("Fa@b\0"));
        todo("+").preprocess(8);
        assertEquals(List.of("warning: unable to stat mess/8/8"), f.logLines());
        f.queueMessage(9, "x", "Fa@b\0Tc@d\0");
        todo("!").preprocess(9);
        assertEquals("warning: qmail-clean unable to clean up todo/9", f.logLines().get(3));
        assertNull(pq.chan[1].min());
    }

    @Test
    void lostQmailCleanMeansExitAsap() throws IOException {
        f.queueMessage(10, "x", "Fa@b\0");
        todo("").preprocess(10);
        assertEquals("alert: oh no! lost qmail-clean connection! dying...", f.logLines().get(2));
        assertTrue(f.st.exitasap);
    }

    @Test
    void scanHandlesOneEntryPerTurnAndSkipsNonNumericNames() throws IOException {
        f.queueMessage(11, "x", "Fa@b\0");
        Files.write(f.queue.resolve("todo/11x"), b(""));
        Todo t = todo("+");
        f.st.recent = f.clock.now();
        for (int i = 0; i < 4; i++) {
            t.run();
        }
        assertEquals(List.of("new msg 11", "info msg 11: bytes 1 from <a@b> qp 0 uid 0"), f.logLines());
        assertEquals(f.st.recent + 1500, t.selprep(Long.MAX_VALUE));
    }

    @Test
    void oneTurnTakesSeveralEntriesAndCleansThemInOneWrite() throws IOException {
        for (int id = 21; id <= 23; id++) {
            f.queueMessage(id, "x", "Fa@b\0Tc@example.test\0");
        }
        Todo t = todo("+++");
        f.st.recent = f.clock.now();
        t.run();
        List<String> log = f.logLines();
        for (int id = 21; id <= 23; id++) {
            assertTrue(log.contains("new msg " + id), log.toString());
            assertEquals("Tc@example.test\0", s(f.read("local/" + id % 23 + "/" + id)));
        }
        String req = s(cleanRequests.toByteArray());
        assertEquals(3, req.split("\0").length, req);
        assertTrue(req.contains("todo/21\0") && req.contains("todo/22\0") && req.contains("todo/23\0"), req);
        int scheduled = 0;
        while (pq.chan[0].min() != null) {
            pq.chan[0].delmin();
            scheduled++;
        }
        assertEquals(3, scheduled);
    }

    @Test
    void aPreprocessedMessagesInfoIsKeptUntilItsFileGoes() throws IOException {
        f.queueMessage(457, "Received: x\n\nhello\n", "u666\0p20345\0Fme@example.test\0Tme@example.test\0");
        todo("+").preprocess(457);
        Path info = f.queue.resolve("info/20/457");
        long mtime = Files.getLastModifiedTime(info).to(java.util.concurrent.TimeUnit.SECONDS);
        InfoCache.Info kept = f.files.infos().getinfo(457);
        assertEquals("me@example.test", s(kept.sender()));
        assertEquals(mtime, kept.birth());
        assertEquals(1, f.files.infos().infosKept());
        // Once the file goes (messdone), the next getinfo reads the file again, as qmail does.
        f.files.infos().forgetInfo(457);
        Files.write(info, b("Fother@example.test\0"));
        Files.setLastModifiedTime(info, java.nio.file.attribute.FileTime.from(12345, java.util.concurrent.TimeUnit.SECONDS));
        InfoCache.Info read = f.files.infos().getinfo(457);
        assertEquals("other@example.test", s(read.sender()));
        assertEquals(12345, read.birth());
        assertEquals(0, f.files.infos().infosKept());
    }

    @Test
    void aTodoWithoutSenderLeavesNothingKept() throws IOException {
        f.queueMessage(458, "Received: x\n\nhello\n", "u666\0p20345\0Tme@example.test\0");
        todo("+").preprocess(458);
        assertEquals(0, f.files.infos().infosKept());
        assertNull(f.files.infos().getinfo(458));
    }

    private void staleFilesOfACrashAreReplacedOrRemoved(boolean spares) throws IOException {
        if (spares) {
            Files.createDirectories(f.queue.resolve("spare"));
            f.files = new QueueFiles(f.queue, QueueFixture.SPLIT);
            Files.write(f.queue.resolve("info/1/1"), b("F" + "s".repeat(100) + "\0"));
            f.files.spares().remove("info/1/1", 102);
            Files.write(f.queue.resolve("local/1/1"), b("T" + "t".repeat(100) + "\0"));
            f.files.spares().remove("local/1/1", 102);
        }
        // What a crash between writing them and removing todo/457 leaves.
        Files.write(f.queue.resolve("info/20/457"), b("F" + "o".repeat(200) + "\0"));
        Files.write(f.queue.resolve("local/20/457"), b("T" + "l".repeat(200) + "\0"));
        Files.write(f.queue.resolve("remote/20/457"), b("Tstale@remote.example\0"));
        f.queueMessage(457, "Received: x\n\nhello\n", "u666\0p20345\0Fme@example.test\0Tme@example.test\0");
        todo("+").preprocess(457);
        assertEquals("Fme@example.test\0", s(f.read("info/20/457")));
        assertEquals("Tme@example.test\0", s(f.read("local/20/457")));
        assertFalse(f.exists("remote/20/457"));
        assertEquals(List.of("new msg 457",
                "info msg 457: bytes 19 from <me@example.test> qp 20345 uid 666"), f.logLines());
        assertEquals(457, pq.chan[0].min().id());
        assertNull(pq.chan[1].min());
    }

    @Test
    void staleFilesOfACrashAreReplacedByRecycledOnes() throws IOException {
        staleFilesOfACrashAreReplacedOrRemoved(true);
        assertEquals(0, f.files.spares().count());
    }

    @Test
    void staleFilesOfACrashAreReplacedByNewOnes() throws IOException {
        staleFilesOfACrashAreReplacedOrRemoved(false);
    }

    @Test
    void aSpareOfKnownLengthIsCutToTheNewRecordsOrGrown() throws IOException {
        Files.createDirectories(f.queue.resolve("spare"));
        f.files = new QueueFiles(f.queue, QueueFixture.SPLIT);
        // Taken last-in first-out: local/20/457 gets the long spare, info/20/457 the short one.
        Files.write(f.queue.resolve("local/2/2"), b("D" + "y".repeat(500) + "@example.test\0"));
        f.files.spares().remove("local/2/2", 515);
        Files.write(f.queue.resolve("info/1/1"), b("Fa\0"));
        f.files.spares().remove("info/1/1", 3);
        f.queueMessage(457, "Received: x\n\nhello\n", "u666\0p20345\0Fme@example.test\0Tme@example.test\0");
        todo("+").preprocess(457);
        assertEquals("Fme@example.test\0", s(f.read("info/20/457")));
        assertEquals("Tme@example.test\0", s(f.read("local/20/457")));
        assertEquals(0, f.files.spares().count());
    }
}
