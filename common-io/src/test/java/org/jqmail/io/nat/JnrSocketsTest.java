package org.jqmail.io.nat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jqmail.io.Errors;
import org.jqmail.io.Errors.ErrnoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hand-off's socket calls against the real kernel: a listening SOCK_SEQPACKET socket, the
 * peer's credentials, descriptors passed with a record (they work on the receiving side), and
 * the cases a receiver must refuse (a record or descriptors cut short).
 */
class JnrSocketsTest {
    private static final Posix PX = Nat.posix();

    @TempDir
    Path dir;

    private static void closeAll(int... fds) throws IOException {
        for (int fd : fds) {
            PX.close(fd);
        }
    }

    /** FD_CLOEXEC, as /proc/self/fdinfo shows it (O_CLOEXEC among the octal flags). */
    private static boolean cloexec(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return (Long.parseLong(line.substring(6).trim(), 8) & 02000000) != 0;
            }
        }
        throw new AssertionError("no flags for fd " + fd);
    }

    @Test
    void acceptedConnectionShowsThePeersCredentials() throws IOException {
        String path = dir.resolve("s").toString();
        int l = PX.listenSeqpacket(path, 4);
        int c = PX.connectSeqpacket(path);
        int a = PX.accept(l);
        try {
            assertArrayEquals(new long[] {PX.getpid(), PX.geteuid(), PX.getegid()}, PX.peerCred(a));
        } finally {
            closeAll(a, c, l);
        }
    }

    @Test
    void connectingToNothingIsRefusedAndABoundPathIsInUse() throws IOException {
        String path = dir.resolve("s").toString();
        ErrnoException e = assertThrows(ErrnoException.class, () -> PX.connectSeqpacket(path));
        assertEquals(Errors.ENOENT, e.errno());
        int l = PX.listenSeqpacket(path, 4);
        PX.close(l);
        e = assertThrows(ErrnoException.class, () -> PX.connectSeqpacket(path));
        assertEquals(Errors.ECONNREFUSED, e.errno());
        e = assertThrows(ErrnoException.class, () -> PX.listenSeqpacket(path, 4));
        assertEquals(Errors.EADDRINUSE, e.errno());
        e = assertThrows(ErrnoException.class, () -> PX.listenSeqpacket(dir.resolve("x".repeat(120)).toString(), 4));
        assertEquals(Errors.ENAMETOOLONG, e.errno());
    }

    @Test
    void descriptorsTravelWithTheirRecordAndWork() throws IOException {
        int[] sp = PX.seqpacketPair();
        int[] pipe = PX.pipe();
        ByteBuffer buf = ByteBuffer.allocateDirect(64);
        try {
            byte[] msg = "hello\0world".getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(msg.length, PX.sendFds(sp[0], msg, 0, msg.length, new int[] {pipe[1], pipe[0]}));
            Posix.Received r = PX.recvFds(sp[1], buf, 2);
            assertEquals(msg.length, r.length());
            assertFalse(r.truncated());
            assertEquals(2, r.fds().length);
            byte[] got = new byte[r.length()];
            buf.get(0, got);
            assertArrayEquals(msg, got);
            // The received write end feeds the original read end; both came close-on-exec.
            assertTrue(cloexec(r.fds()[0]) && cloexec(r.fds()[1]));
            byte[] x = {'x', 'y'};
            PX.write(r.fds()[0], x, 0, 2);
            byte[] in = new byte[2];
            assertEquals(2, PX.read(pipe[0], in, 0, 2));
            assertArrayEquals(x, in);
            assertEquals(0, PX.poll(r.fds()[1], Posix.POLLIN, 0));
            PX.write(pipe[1], x, 0, 1);
            assertEquals(Posix.POLLIN, PX.poll(r.fds()[1], Posix.POLLIN, 0));
            assertEquals(1, PX.read(r.fds()[1], in, 0, 2));
            closeAll(r.fds());
        } finally {
            closeAll(sp[0], sp[1], pipe[0], pipe[1]);
        }
    }

    @Test
    void aRecordLargerThanTheBufferOrWithTooManyDescriptorsIsTruncated() throws IOException {
        int[] sp = PX.seqpacketPair();
        int[] pipe = PX.pipe();
        try {
            byte[] big = new byte[100];
            PX.sendFds(sp[0], big, 0, big.length, new int[0]);
            Posix.Received r = PX.recvFds(sp[1], ByteBuffer.allocateDirect(99), 2);
            assertEquals(99, r.length());
            assertTrue(r.truncated());
            PX.sendFds(sp[0], big, 0, 1, new int[] {pipe[0], pipe[1], pipe[0]});
            r = PX.recvFds(sp[1], ByteBuffer.allocateDirect(99), 2);
            assertTrue(r.truncated());
            closeAll(r.fds());
            PX.sendFds(sp[0], big, 0, 1, new int[0]);
            r = PX.recvFds(sp[1], ByteBuffer.allocateDirect(99), 2);
            assertEquals(1, r.length());
            assertFalse(r.truncated());
            assertEquals(0, r.fds().length);
        } finally {
            closeAll(sp[0], sp[1], pipe[0], pipe[1]);
        }
    }

    @Test
    void pollTimesOutAndEndOfFileReadsAsLengthZero() throws IOException {
        int[] sp = PX.seqpacketPair();
        try {
            assertEquals(0, PX.poll(sp[1], Posix.POLLIN, 20));
            assertEquals(Posix.POLLOUT, PX.poll(sp[1], Posix.POLLOUT, 0));
            PX.shutdown(sp[0], Posix.SHUT_WR);
            assertTrue((PX.poll(sp[1], Posix.POLLIN, 1000) & Posix.POLLIN) != 0);
            assertEquals(0, PX.recvFds(sp[1], ByteBuffer.allocateDirect(8), 2).length());
        } finally {
            closeAll(sp[0], sp[1]);
        }
    }
}
