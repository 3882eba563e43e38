package org.jqmail.send.clean;

import static org.jqmail.send.clean.CleanFixture.b;
import static org.jqmail.send.clean.CleanFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanerTest {
    @TempDir
    Path home;

    private String run(CleanFixture f, String requests) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new Cleaner(f.queue, CleanFixture.SPLIT, f.clock).run(new ByteArrayInputStream(b(requests)), out);
        assertEquals(0, code);
        return s(out.toByteArray());
    }

    @Test
    void removesTodoAndMessageFilesAndAnswersPlus() throws IOException {
        CleanFixture f = new CleanFixture(home);
        f.queueMessage(457, "m", "Fa\0");
        assertEquals("+", run(f, "todo/457\0"));
        assertFalse(f.exists("todo/457"));
        assertFalse(f.exists("intd/457"));
        assertTrue(f.exists("mess/20/457"));
        assertEquals("++", run(f, "foop/457\0foop/457\0"));
        assertFalse(f.exists("mess/20/457"));
    }

    @Test
    void withQspareFilesAreEmptiedAndKeptInsteadOfUnlinked() throws IOException {
        CleanFixture f = new CleanFixture(home);
        Files.createDirectory(f.queue.resolve("qspare"));
        f.queueMessage(457, "message", "Fa\0");
        long intd = (Long) Files.getAttribute(f.queue.resolve("intd/457"), "unix:ino");
        long mess = (Long) Files.getAttribute(f.queue.resolve("mess/20/457"), "unix:ino");
        assertEquals("+", run(f, "todo/457\0"));
        assertFalse(f.exists("todo/457"));
        assertFalse(f.exists("intd/457"));
        Path si = f.queue.resolve("qspare/" + intd);
        assertEquals(intd, (Long) Files.getAttribute(si, "unix:ino"));
        assertEquals(0, Files.size(si));
        assertEquals("+", run(f, "foop/457\0"));
        assertFalse(f.exists("mess/20/457"));
        Path sm = f.queue.resolve("qspare/" + mess);
        assertEquals(0, Files.size(sm));
        assertTrue(Files.exists(si));
    }

    @Test
    void aFullQspareGetsNoMore() throws IOException {
        CleanFixture f = new CleanFixture(home);
        Path q = Files.createDirectory(f.queue.resolve("qspare"));
        for (int i = 0; i < Cleaner.SPARE_MAX; i++) {
            Files.createFile(q.resolve("x" + i));
        }
        f.queueMessage(459, "message", "Fa\0");
        assertEquals("++", run(f, "todo/459\0foop/459\0"));
        assertFalse(f.exists("mess/20/459"));
        try (var d = Files.list(q)) {
            assertEquals(Cleaner.SPARE_MAX, d.count());
        }
        // Once qmail-queued has taken one, there is room again.
        Files.delete(q.resolve("x0"));
        f.queueMessage(460, "message", "Fa\0");
        assertEquals("+", run(f, "todo/460\0"));
        try (var d = Files.list(q)) {
            assertEquals(Cleaner.SPARE_MAX, d.count());
        }
    }

    @Test
    void aFileWithAnotherLinkIsUnlinkedNotKept() throws IOException {
        CleanFixture f = new CleanFixture(home);
        Files.createDirectory(f.queue.resolve("qspare"));
        f.queueMessage(458, "message", "Fa\0");
        // foop with todo/458 still there: intd/458 has a second name and must not be emptied.
        assertEquals("+", run(f, "foop/458\0"));
        assertFalse(f.exists("intd/458"));
        assertEquals("Fa\0", s(f.read("todo/458")));
        try (var d = Files.list(f.queue.resolve("qspare"))) {
            assertEquals(1, d.count(), "only mess became a spare");
        }
    }

    @Test
    void malformedRequestsGetX() throws IOException {
        CleanFixture f = new CleanFixture(home);
        String tooLong = "foop/" + "1".repeat(95) + "\0";
        String longest = "foop/" + "1".repeat(94);
        assertEquals("xxxxxx+x", run(f, "foop/\0todo/\0bar/1234\0foop/12a\0foo/1\0" + tooLong
                + longest.substring(0, 99) + "\0" + "foop/" + "1".repeat(200) + "\0"));
    }

    @Test
    void anUnlinkFailureIsBang() throws IOException {
        CleanFixture f = new CleanFixture(home);
        Files.createDirectories(f.queue.resolve("intd/9/sub"));
        Files.createDirectories(f.queue.resolve("intd/9"));
        assertEquals("!", run(f, "todo/9\0"));
    }

    @Test
    void staleFilesInPidAreRemoved() throws IOException {
        CleanFixture f = new CleanFixture(home);
        Path old = f.queue.resolve("pid/123.456.1");
        Path fresh = f.queue.resolve("pid/124.456.1");
        Files.write(old, b(""));
        Files.write(fresh, b(""));
        FileTime t = FileTime.from(f.clock.t - 129600, TimeUnit.SECONDS);
        Files.getFileAttributeView(old, BasicFileAttributeView.class).setTimes(t, t, null);
        FileTime t2 = FileTime.from(f.clock.t - 129599, TimeUnit.SECONDS);
        Files.getFileAttributeView(fresh, BasicFileAttributeView.class).setTimes(t2, t2, null);
        run(f, "");
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(fresh));
    }

    /** An input that hands out its chunks one read at a time and checks, before each, what was answered. */
    private static final class Chunks extends java.io.InputStream {
        private final String[] chunks;
        private final String[] answeredBefore;
        private final ByteArrayOutputStream out;
        private int next;
        final java.util.List<String> writes = new java.util.ArrayList<>();

        Chunks(ByteArrayOutputStream out, String[] chunks, String[] answeredBefore) {
            this.out = out;
            this.chunks = chunks;
            this.answeredBefore = answeredBefore;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (next == chunks.length) {
                return -1;
            }
            assertEquals(answeredBefore[next], s(out.toByteArray()), "answered before read " + next);
            byte[] c = b(chunks[next++]);
            System.arraycopy(c, 0, b, off, c.length);
            return c.length;
        }
    }

    @Test
    void requestsThatCameTogetherAreAnsweredInOneWriteAndNoReplyWaitsForInput() throws IOException {
        CleanFixture f = new CleanFixture(home);
        for (long id : new long[] {457, 458, 459}) {
            f.queueMessage(id, "m", "Fa\0");
        }
        java.util.List<Integer> writes = new java.util.ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                writes.add(len);
                super.write(b, off, len);
            }

            @Override
            public synchronized void write(int b) {
                writes.add(1);
                super.write(b);
            }
        };
        // The third request is cut short by the first read: the two whole ones are answered
        // before the reader waits for the rest of it.
        Chunks in = new Chunks(out, new String[] {"todo/457\0todo/458\0to", "do/459\0foop/457\0"},
                new String[] {"", "++"});
        assertEquals(0, new Cleaner(f.queue, CleanFixture.SPLIT, f.clock).run(in, out));
        assertEquals("++++", s(out.toByteArray()));
        assertEquals(java.util.List.of(2, 2), writes);
        assertFalse(f.exists("todo/459"));
        assertFalse(f.exists("mess/20/457"));
    }

    @Test
    void aMissingTodoOrIntdStillCountsAsRemovedAndADirectoryIsNot() throws IOException {
        CleanFixture f = new CleanFixture(home);
        Files.createDirectory(f.queue.resolve("qspare"));
        assertEquals("++", run(f, "todo/77\0foop/77\0"));
        f.queueMessage(457, "m", "Fa\0");
        Files.delete(f.queue.resolve("intd/457"));
        assertEquals("+", run(f, "todo/457\0"));
        assertFalse(f.exists("todo/457"));
        Files.createDirectories(f.queue.resolve("todo/458/x"));
        assertEquals("!", run(f, "todo/458\0"));
    }
}
