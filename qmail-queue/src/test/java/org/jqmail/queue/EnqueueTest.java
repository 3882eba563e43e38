package org.jqmail.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jqmail.control.QueueExit;
import org.jqmail.io.SubstdioIn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnqueueTest {
    private static final int SPLIT = 23;
    /** 6 Sep 1995 04:46:54 UTC, the date of qmail's own examples. */
    private static final long T = 810362814L;

    @TempDir
    Path queue;
    private final AtomicInteger pulls = new AtomicInteger();
    private Enqueue enq;

    @BeforeEach
    void layout() throws IOException {
        for (String d : List.of("pid", "intd", "todo", "mess")) {
            Files.createDirectory(queue.resolve(d));
        }
        for (int i = 0; i < SPLIT; i++) {
            Files.createDirectory(queue.resolve("mess/" + i));
        }
        enq = new Enqueue(queue, SPLIT, pulls::incrementAndGet);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Enqueue.Message message(byte[] m) {
        InputStream in = new ByteArrayInputStream(m);
        return in::read;
    }

    private QueueExit run(byte[] msg, byte[] env) {
        return run(msg, env, false);
    }

    private QueueExit run(byte[] msg, byte[] env, boolean expired) {
        Enqueue.Job job = new Enqueue.Job(1000, 4242, b("by uid 1000"), T);
        return enq.run(job, message(msg), new SubstdioIn(new ByteArrayInputStream(env), 7), () -> expired);
    }

    private List<Path> files(String dir) throws IOException {
        try (Stream<Path> s = Files.walk(queue.resolve(dir))) {
            return s.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    @Test
    void queuedMessageHasReceivedLineAndTodoEnvelope() throws IOException {
        assertEquals(QueueExit.OK, run(b("Subject: x\n\nbody\n"), b("Fme@here\0Tyou@there\0Tother@x\0\0")));
        List<Path> todo = files("todo");
        assertEquals(1, todo.size());
        long n = Long.parseLong(todo.get(0).getFileName().toString());
        Path mess = queue.resolve("mess/" + (n % SPLIT) + "/" + n);
        assertArrayEquals(b("Received: (qmail 4242 invoked by uid 1000); 6 Sep 1995 04:46:54 -0000\n"
                + "Subject: x\n\nbody\n"), Files.readAllBytes(mess));
        assertArrayEquals(b("u1000\0p4242\0Fme@here\0Tyou@there\0Tother@x\0"), Files.readAllBytes(todo.get(0)));
        assertArrayEquals(Files.readAllBytes(todo.get(0)), Files.readAllBytes(queue.resolve("intd/" + n)));
        assertEquals(n, (Long) Files.getAttribute(mess, "unix:ino"));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(mess)));
        assertTrue(files("pid").isEmpty());
        assertEquals(1, pulls.get());
    }

    private long ino(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino");
    }

    @Test
    void sparesLeftByQmailCleanBecomeMessAndIntd() throws IOException {
        Files.createDirectory(queue.resolve("qspare"));
        Path a = Files.write(queue.resolve("qspare/0"), b("old message bytes"));
        Path c = Files.write(queue.resolve("qspare/1"), b(""));
        long ia = ino(a);
        long ic = ino(c);
        enq = new Enqueue(queue, SPLIT, pulls::incrementAndGet);
        assertEquals(QueueExit.OK, run(b("new\n"), b("Fme@here\0Tyou@there\0\0")));
        List<Path> todo = files("todo");
        assertEquals(1, todo.size());
        long n = Long.parseLong(todo.get(0).getFileName().toString());
        assertEquals(ia, n, "the first spare is the message file, numbered by its inode");
        Path mess = queue.resolve("mess/" + (n % SPLIT) + "/" + n);
        assertArrayEquals(b("Received: (qmail 4242 invoked by uid 1000); 6 Sep 1995 04:46:54 -0000\nnew\n"),
                Files.readAllBytes(mess));
        assertEquals(ic, ino(queue.resolve("intd/" + n)));
        assertEquals(ic, ino(todo.get(0)));
        assertArrayEquals(b("u1000\0p4242\0Fme@here\0Tyou@there\0"), Files.readAllBytes(todo.get(0)));
        assertTrue(files("qspare").isEmpty());
        assertTrue(files("pid").isEmpty());
        assertEquals(1, (Integer) Files.getAttribute(mess, "unix:nlink"));
        // With the spares used up, files are created as qmail-queue creates them.
        assertEquals(QueueExit.OK, run(b("x"), b("Fa\0Tb\0\0")));
        assertEquals(2, files("todo").size());
        assertTrue(files("pid").isEmpty());
    }

    @Test
    void aSpareWithAnotherLinkOrNotAFileIsNotUsed() throws IOException {
        Files.createDirectory(queue.resolve("qspare"));
        Path keep = Files.write(queue.resolve("keep"), b("still needed"));
        Files.createLink(queue.resolve("qspare/0"), keep);
        Files.createDirectory(queue.resolve("qspare/1"));
        enq = new Enqueue(queue, SPLIT, pulls::incrementAndGet);
        assertEquals(QueueExit.OK, run(b("x"), b("Fa\0Tb\0\0")));
        long n = Long.parseLong(files("todo").get(0).getFileName().toString());
        assertFalse(n == ino(keep));
        assertArrayEquals(b("still needed"), Files.readAllBytes(keep));
        assertEquals(1, (Integer) Files.getAttribute(keep, "unix:nlink"));
        assertTrue(files("pid").isEmpty());
        try (Stream<Path> d = Files.list(queue.resolve("pid"))) {
            assertEquals(0, d.count(), "the unfit spares' pid names are gone");
        }
    }

    @Test
    void emptySenderAndNoRecipientsAreAccepted() throws IOException {
        assertEquals(QueueExit.OK, run(new byte[0], b("F\0\0")));
        assertArrayEquals(b("u1000\0p4242\0F\0"), Files.readAllBytes(files("todo").get(0)));
    }

    @Test
    void bytesAfterTheFinalNulAreIgnored() throws IOException {
        assertEquals(QueueExit.OK, run(b("x"), b("Fa\0Tb\0\0Tjunk\0")));
        assertArrayEquals(b("u1000\0p4242\0Fa\0Tb\0"), Files.readAllBytes(files("todo").get(0)));
    }

    private void assertNothingQueued() throws IOException {
        assertTrue(files("todo").isEmpty(), "todo");
        assertTrue(files("intd").isEmpty(), "intd");
        assertTrue(files("mess").isEmpty(), "mess");
        assertEquals(0, pulls.get());
    }

    @Test
    void senderRecordMustComeFirst() throws IOException {
        assertEquals(QueueExit.ENVELOPE, run(b("x"), b("Ta\0\0")));
        assertNothingQueued();
    }

    @Test
    void recipientRecordMustStartWithT() throws IOException {
        assertEquals(QueueExit.ENVELOPE, run(b("x"), b("Fa\0Xb\0\0")));
        assertNothingQueued();
    }

    @Test
    void addressOf1002BytesIsAcceptedAnd1003IsTooLong() throws IOException {
        String a1002 = "a".repeat(1002);
        assertEquals(QueueExit.OK, run(b("x"), b("F" + a1002 + "\0T" + a1002 + "\0\0")));
        assertEquals(QueueExit.ADDR_TOO_LONG, run(b("x"), b("F" + a1002 + "b\0\0")));
        assertEquals(QueueExit.ADDR_TOO_LONG, run(b("x"), b("Fa\0T" + a1002 + "b\0\0")));
        assertEquals(1, files("todo").size());
        assertEquals(1, files("mess").size());
    }

    @Test
    void envelopeWithoutFinalNulIsAReadError() throws IOException {
        assertEquals(QueueExit.READ, run(b("x"), b("Fa\0Tb\0")));
        assertEquals(QueueExit.READ, run(b("x"), b("Fa")));
        assertEquals(QueueExit.READ, run(b("x"), b("")));
        assertNothingQueued();
    }

    @Test
    void messageReadErrorCleansUp() throws IOException {
        Enqueue.Job job = new Enqueue.Job(1, 2, b("by uid 1"), T);
        Enqueue.Message broken = (buf, off, len) -> {
            throw new IOException("peer vanished");
        };
        assertEquals(QueueExit.READ, enq.run(job, broken,
                new SubstdioIn(new ByteArrayInputStream(b("F\0\0")), 16), () -> false));
        assertNothingQueued();
    }

    @Test
    void expiredSubmissionIsNotLinkedAndNotCleanedUp() throws IOException {
        assertEquals(QueueExit.TIMEOUT, run(b("x"), b("Fa\0\0"), true));
        assertTrue(files("todo").isEmpty());
        assertEquals(1, files("mess").size());
        assertEquals(1, files("intd").size());
    }

    @Test
    void missingPidDirectoryIs63() throws IOException {
        Files.delete(queue.resolve("pid"));
        assertEquals(QueueExit.PID, run(b("x"), b("Fa\0\0")));
    }

    @Test
    void missingMessSubdirectoryIs64() throws IOException {
        for (int i = 0; i < SPLIT; i++) {
            Files.delete(queue.resolve("mess/" + i));
        }
        assertEquals(QueueExit.MESS, run(b("x"), b("Fa\0\0")));
    }

    @Test
    void missingIntdIs65AndCleansUpMess() throws IOException {
        Files.delete(queue.resolve("intd"));
        assertEquals(QueueExit.INTD, run(b("x"), b("Fa\0\0")));
        assertTrue(files("mess").isEmpty());
    }

    @Test
    void aMessageReadErrorWinsOverAMissingIntd() throws IOException {
        Files.delete(queue.resolve("intd"));
        Enqueue.Job job = new Enqueue.Job(1, 2, b("by uid 1"), T);
        Enqueue.Message broken = (buf, off, len) -> {
            throw new IOException("peer vanished");
        };
        assertEquals(QueueExit.READ, enq.run(job, broken,
                new SubstdioIn(new ByteArrayInputStream(b("F\0\0")), 16), () -> false));
        assertTrue(files("mess").isEmpty());
    }

    @Test
    void aMessageOfSeveralBuffersArrivingInOddPiecesIsCopiedExactly() throws IOException {
        byte[] m = new byte[200_003];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) (i % 251 == 0 ? '\n' : 'a' + i % 26);
        }
        InputStream in = new ByteArrayInputStream(m);
        int[] k = {0};
        Enqueue.Message odd = (buf, off, len) -> in.read(buf, off, Math.min(len, 1 + (k[0]++ * 7919) % 70_000));
        Enqueue.Job job = new Enqueue.Job(1000, 4242, b("by uid 1000"), T);
        assertEquals(QueueExit.OK, enq.run(job, odd, new SubstdioIn(new ByteArrayInputStream(b("Fa\0Tb\0\0")), 7), () -> false));
        for (int round = 0; round < 2; round++) {
            List<Path> mess = files("mess");
            byte[] got = Files.readAllBytes(mess.get(0));
            byte[] rl = Enqueue.received(4242, b("by uid 1000"), T);
            assertArrayEquals(rl, java.util.Arrays.copyOf(got, rl.length));
            assertArrayEquals(m, java.util.Arrays.copyOfRange(got, rl.length, got.length));
            // The same thread's buffer serves the next message unchanged.
            for (String d : List.of("mess", "intd", "todo")) {
                for (Path f : files(d)) {
                    Files.delete(f);
                }
            }
            assertEquals(QueueExit.OK, enq.run(job, message(m), new SubstdioIn(new ByteArrayInputStream(b("Fa\0\0")), 7),
                    () -> false));
        }
    }

    @Test
    void missingTodoIs66AndCleansUp() throws IOException {
        Files.delete(queue.resolve("todo"));
        assertEquals(QueueExit.TODO, run(b("x"), b("Fa\0\0")));
        assertTrue(files("mess").isEmpty());
        assertTrue(files("intd").isEmpty());
    }

    @Test
    void receivedLineNamesTheInvoker() {
        Invokers inv = new Invokers(7, 8, 9);
        assertArrayEquals(b("Received: (qmail 1 invoked by alias); 6 Sep 1995 04:46:54 -0000\n"),
                Enqueue.received(1, inv.who(7), T));
        assertArrayEquals(b("Received: (qmail 1 invoked from network); 6 Sep 1995 04:46:54 -0000\n"),
                Enqueue.received(1, inv.who(8), T));
        assertArrayEquals(b("Received: (qmail 1 invoked for bounce); 6 Sep 1995 04:46:54 -0000\n"),
                Enqueue.received(1, inv.who(9), T));
        assertArrayEquals(b("Received: (qmail 4294967295 invoked by uid 0); 6 Sep 1995 04:46:54 -0000\n"),
                Enqueue.received(4294967295L, inv.who(0), T));
        assertFalse(inv.who(10).length == 0);
    }
}
