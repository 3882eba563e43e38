package org.jqmail.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table file: locking between threads, the tools' messages and the start-up reset. */
class TcptoFileTest {
    @TempDir
    Path home;
    Path file;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(home.resolve("queue/lock"));
        file = home.resolve("queue/lock/tcpto");
        Files.write(file, new byte[1024]);
    }

    @Test
    void lockExcludesOtherThreads() throws Exception {
        TcptoFile a = TcptoFile.forHome(home);
        assertEquals(1024, a.lockAndRead(new byte[1024]));
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean got = new AtomicBoolean();
        Thread t = new Thread(() -> {
            started.countDown();
            TcptoFile b = TcptoFile.forHome(home);
            b.lockAndRead(new byte[1024]);
            got.set(true);
            b.release();
        });
        t.start();
        started.await();
        t.join(200);
        assertEquals(false, got.get());
        a.release();
        t.join(TimeUnit.SECONDS.toMillis(10));
        assertTrue(got.get());
    }

    @Test
    void recordWritesGoInPlace() throws IOException {
        TcptoFile f = TcptoFile.forHome(home);
        Tcpto t = new Tcpto(f, () -> 1000L, 1);
        t.err(0x0a000001, true);
        byte[] b = Files.readAllBytes(file);
        assertEquals(1024, b.length);
        assertEquals(10, b[0]);
        assertEquals(1, b[3]);
        assertEquals(1, b[4]);
        assertEquals((byte) 0xe8, b[8]);
        assertEquals(3, b[9]);
    }

    @Test
    void missingTableMeansNoTable() {
        TcptoFile f = new TcptoFile(home.resolve("nope"));
        assertEquals(-1, f.lockAndRead(new byte[1024]));
        TcptoFile.Failed e = assertThrows(TcptoFile.Failed.class, () -> f.readLocked(new byte[1024]));
        assertEquals(TcptoFile.Stage.OPEN, e.stage());
        // The JVM-wide lock was released: another user can still lock a real table.
        TcptoFile ok = TcptoFile.forHome(home);
        assertEquals(1024, ok.lockAndRead(new byte[1024]));
        ok.release();
    }

    @Test
    void cleanZeroesTheStartOnly() throws IOException {
        byte[] junk = new byte[1100];
        java.util.Arrays.fill(junk, (byte) 7);
        Files.write(file, junk);
        TcptoFile.forHome(home).clean();
        byte[] b = Files.readAllBytes(file);
        assertEquals(1100, b.length);
        assertArrayEquals(new byte[1024], java.util.Arrays.copyOf(b, 1024));
        assertEquals(7, b[1024]);
    }

    @Test
    void cleanDoesNotCreateTheTable() throws IOException {
        Files.delete(file);
        TcptoFile.forHome(home).clean();
        assertEquals(false, Files.exists(file));
    }

    @Test
    void tcpokClearsAndTcptoLists() throws IOException {
        new Tcpto(TcptoFile.forHome(home), () -> 5000L, 1).err(0xc0000201, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, TcptoTools.tcpto(home, null, 5065L, out));
        assertEquals("192.0.2.1 timed out 65 seconds ago; # recent timeouts: 1\n", out.toString(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, TcptoTools.tcpok(home, null, err));
        assertEquals("", err.toString(StandardCharsets.ISO_8859_1));
        assertArrayEquals(new byte[1024], Files.readAllBytes(file));
        out.reset();
        assertEquals(0, TcptoTools.tcpto(home, null, 5065L, out));
        assertEquals("", out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void toolMessages() throws IOException {
        Path none = home.resolve("none");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(111, TcptoTools.tcpto(none, null, 1, out));
        assertEquals("fatal: unable to chdir: file does not exist\n", out.toString(StandardCharsets.ISO_8859_1));
        out.reset();
        assertEquals(111, TcptoTools.tcpok(none, null, out));
        assertEquals("qmail-tcpok: fatal: unable to chdir to " + none + ": file does not exist\n",
                out.toString(StandardCharsets.ISO_8859_1));
        Files.delete(file);
        out.reset();
        assertEquals(111, TcptoTools.tcpto(home, null, 1, out));
        assertEquals("fatal: unable to open tcpto: file does not exist\n", out.toString(StandardCharsets.ISO_8859_1));
        out.reset();
        assertEquals(111, TcptoTools.tcpok(home, null, out));
        assertEquals("qmail-tcpok: fatal: unable to write " + home + "/queue/lock/tcpto: file does not exist\n",
                out.toString(StandardCharsets.ISO_8859_1));
        Files.delete(home.resolve("queue/lock"));
        Files.write(home.resolve("queue/lock"), new byte[0]);
        out.reset();
        assertEquals(111, TcptoTools.tcpok(home, null, out));
        assertEquals("qmail-tcpok: fatal: unable to chdir to " + home + "/queue/lock: not a directory\n",
                out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void flockIsTakenFirstAndReleasedLast() throws IOException {
        List<String> events = new java.util.ArrayList<>();
        TcptoFile.Flock f = p -> {
            events.add("flock " + p.getFileName());
            return () -> events.add("unflock");
        };
        TcptoFile t = TcptoFile.forHome(home, f);
        assertEquals(1024, t.lockAndRead(new byte[1024]));
        events.add("locked");
        t.release();
        t.clear();
        assertEquals(List.of("flock tcpto", "locked", "unflock", "flock tcpto", "unflock"), events);
    }

    @Test
    void flockFailureIsALockFailureAndHoldsNothing() throws IOException {
        TcptoFile.Flock f = p -> {
            throw new TcptoFile.Failed(TcptoFile.Stage.LOCK, new IOException("No locks available"));
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(111, TcptoTools.tcpto(home, f, 1, out));
        assertEquals("fatal: unable to lock tcpto: no locks available\n", out.toString(StandardCharsets.ISO_8859_1));
        TcptoFile ok = TcptoFile.forHome(home);
        assertEquals(1024, ok.lockAndRead(new byte[1024]));
        ok.release();
    }

    @Test
    void nativeFlockExcludesAnotherDescriptorEvenInThisProcess() throws Exception {
        NativeFlock nf = new NativeFlock();
        TcptoFile.Flock.Held h = nf.lock(file);
        AtomicBoolean got = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                nf.lock(file).release();
                got.set(true);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        t.start();
        t.join(300);
        assertEquals(false, got.get());
        h.release();
        t.join(10_000);
        assertTrue(got.get());
    }
}
