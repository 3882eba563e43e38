package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jqmail.io.Spawn;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;
import org.jqmail.io.nat.WaitStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Spawn} and {@code Posix.spawn/exec} against real children: the bytes on every mapped
 * descriptor arrive exactly, a map whose sources collide with its targets is honoured, the
 * child inherits no other descriptor of this JVM (which holds many without close-on-exec;
 * the test adds a pipe of its own as a marker) and starts with an empty signal mask.
 *
 * <p>Children are JVMs running {@link FdMapChild}, or sh/ls where an exact descriptor list is
 * wanted (a JVM opens descriptors of its own before main runs).
 */
class SpawnFdMapIT {
    private static final Posix PX = Nat.posix();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String EMPTY_MASK = "SigBlk:\t0000000000000000";

    /** A pipe of this JVM without close-on-exec: no child may see it. */
    private int[] marker;
    private String markerTarget;
    private Spawn child;

    @BeforeEach
    void openMarker() throws IOException {
        marker = PX.pipe();
        PX.setCloexec(marker[0], false);
        PX.setCloexec(marker[1], false);
        markerTarget = Files.readSymbolicLink(Path.of("/proc/self/fd/" + marker[0])).toString();
    }

    @AfterEach
    void cleanUp() throws IOException {
        PX.close(marker[0]);
        PX.close(marker[1]);
        if (child != null && child.pid() > 0) {
            // A relay's echo child too, should a test have failed half-way.
            ProcessHandle.of(child.pid()).ifPresent(h -> h.descendants().forEach(ProcessHandle::destroyForcibly));
            child.kill(Posix.SIGKILL);
            child.waitFor();
        }
    }

    /** What came back on the child's descriptors 1, 2, 4, 6. */
    private record Outcome(String out1, String out2, byte[] out4, byte[] out6, WaitStatus status) {
    }

    private Spawn wired(List<String> argv) {
        return new Spawn(PX, argv.get(0), argv)
                .pipeTo(0).pipeFrom(1).pipeFrom(2).pipeTo(3).pipeFrom(4).pipeTo(5).pipeFrom(6);
    }

    private Outcome run(Spawn sp, byte[] to3, byte[] to5) {
        child = sp;
        return assertTimeoutPreemptively(DEADLINE, () -> {
            sp.start();
            sp.to(0).close();
            try (OutputStream o = sp.to(3)) {
                o.write(to3);
            }
            try (OutputStream o = sp.to(5)) {
                o.write(to5);
            }
            byte[] b4 = drain(sp.from(4));
            byte[] b6 = drain(sp.from(6));
            String o1 = new String(drain(sp.from(1)), StandardCharsets.ISO_8859_1);
            String o2 = new String(drain(sp.from(2)), StandardCharsets.ISO_8859_1);
            return new Outcome(o1, o2, b4, b6, sp.waitFor());
        });
    }

    private static byte[] drain(InputStream in) throws IOException {
        try (in) {
            return in.readNBytes(1 << 20);
        }
    }

    /** Distinct payloads with every byte value, below one pipe buffer each. */
    private static byte[] payload(String tag) {
        byte[] b = new byte[9000];
        byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < b.length; i++) {
            b[i] = i < t.length ? t[i] : (byte) (i * 7);
        }
        return b;
    }

    private static byte[] concat(String prefix, byte[] b) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] r = java.util.Arrays.copyOf(p, p.length + b.length);
        System.arraycopy(b, 0, r, p.length, b.length);
        return r;
    }

    private static byte[] upper(byte[] b) {
        byte[] r = b.clone();
        for (int i = 0; i < r.length; i++) {
            if (r[i] >= 'a' && r[i] <= 'z') {
                r[i] -= 32;
            }
        }
        return r;
    }

    private static byte[] reversed(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    @Test
    void childJvmGetsExactlyTheMappedPipes() {
        byte[] a = payload("to fd three");
        byte[] b = payload("to fd five");
        Outcome o = run(wired(ChildJvm.argv(FdMapChild.class, "echo")), a, b);
        assertEquals(new WaitStatus(0), o.status, o.out2);
        assertArrayEquals(concat("4:", upper(a)), o.out4);
        assertArrayEquals(concat("6:", reversed(b)), o.out6);
        assertJvmReport(o.out1);
    }

    @Test
    void collidingMapSwapsDescriptors() {
        byte[] a = payload("to fd three");
        byte[] b = payload("to fd five");
        // The relay spawns echo with child 3 <- 5, 4 <- 6, 5 <- 3, 6 <- 4.
        Outcome o = run(wired(ChildJvm.argv(FdMapChild.class, "relay")), a, b);
        assertEquals(new WaitStatus(0), o.status, o.out2);
        assertArrayEquals(concat("6:", reversed(a)), o.out4);
        assertArrayEquals(concat("4:", upper(b)), o.out6);
        assertJvmReport(o.out1);
    }

    /**
     * Descriptors 0..6 are the pipes; anything above is the child JVM's own (its jars, its
     * modules image, the directory being listed): a path, never a pipe, socket or the marker.
     */
    private void assertJvmReport(String report) {
        System.out.print("child JVM descriptors:\n" + report);
        assertTrue(report.contains(EMPTY_MASK + "\n"), report);
        assertFalse(report.contains(markerTarget), report);
        int seen = 0;
        for (String line : report.split("\n")) {
            if (!line.startsWith("fd ")) {
                continue;
            }
            String[] f = line.split(" ", 3);
            int fd = Integer.parseInt(f[1]);
            if (fd <= 6) {
                assertTrue(f[2].startsWith("pipe:["), line);
                seen++;
            } else {
                assertTrue(f[2].startsWith("/"), "inherited " + line + "\n" + report);
            }
        }
        assertEquals(7, seen, report);
    }

    @Test
    void plainChildSeesOnlyItsSevenDescriptorsAndAnEmptyMask() {
        List<String> argv = List.of("/bin/sh", "-c", "grep '^SigBlk:' /proc/self/status; exec ls -1 /proc/self/fd");
        Outcome o = run(wired(argv), new byte[0], new byte[0]);
        assertEquals(new WaitStatus(0), o.status, o.out2);
        // 7 is ls's own descriptor of the directory it lists.
        assertEquals(EMPTY_MASK + "\n0\n1\n2\n3\n4\n5\n6\n7\n", o.out1);
    }

    @Test
    void execKeepsOnlyDescriptorsBelowItsLimitAndEmptiesTheMask() {
        List<String> argv = ChildJvm.argv(FdMapChild.class, "exec");
        child = new Spawn(PX, argv.get(0), argv).pipeTo(0).pipeFrom(1).pipeFrom(2);
        Outcome o = assertTimeoutPreemptively(DEADLINE, () -> {
            child.start();
            child.to(0).close();
            String o1 = new String(drain(child.from(1)), StandardCharsets.ISO_8859_1);
            String o2 = new String(drain(child.from(2)), StandardCharsets.ISO_8859_1);
            return new Outcome(o1, o2, null, null, child.waitFor());
        });
        assertEquals(new WaitStatus(0), o.status, o.out2);
        // 3 is ls's own descriptor of the directory it lists.
        assertEquals(EMPTY_MASK + "\n0\n1\n2\n3\n", o.out1);
    }

    @Test
    void environmentAndDirectoryReachTheChildByteForByte() {
        List<String> argv = List.of("/bin/sh", "-c", "printf '%s|' \"$A\" \"$B\"; pwd");
        Spawn sp = wired(argv).env(List.of("A=caf\u00e9 \u00ff", "B=")).cwd("/usr");
        Outcome o = run(sp, new byte[0], new byte[0]);
        assertEquals(new WaitStatus(0), o.status, o.out2);
        assertEquals("caf\u00e9 \u00ff||/usr\n", o.out1);
    }

    @Test
    void exitCodesAndSignalsAreReported() throws IOException {
        Spawn exit7 = new Spawn(PX, "/bin/sh", List.of("sh", "-c", "exit 7")).inherit(2, 2).start();
        assertEquals(7, exit7.waitFor().exitCode());
        child = new Spawn(PX, "/bin/sleep", List.of("sleep", "300")).start();
        child.kill(Posix.SIGTERM);
        WaitStatus ws = assertTimeoutPreemptively(DEADLINE, child::waitFor);
        assertTrue(ws.signaled());
        assertEquals(Posix.SIGTERM, ws.termSig());
    }
}
