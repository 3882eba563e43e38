package org.jqmail.io.nat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jqmail.io.Errors;
import org.jqmail.io.Errors.ErrnoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The jnr implementation against the real kernel, on files in a temporary directory: every
 * failure carries its own errno, and the calls do what their C namesakes do. Nothing here
 * changes this JVM's identity (the failing setuid/setgid/setgroups calls are invalid for
 * everyone); process-level behaviour is tested in the it module.
 */
class JnrPosixTest {
    private static final Posix PX = Nat.posix();
    private static final int O_CLOEXEC = 02000000;

    @TempDir
    static Path dir;

    interface Call {
        void run() throws IOException;
    }

    static Stream<Arguments> failingCalls() throws IOException {
        String missing = dir.resolve("missing").toString();
        Path existing = Files.writeString(dir.resolve("existing"), "x");
        int[] pipe = PX.pipe();
        byte[] b = new byte[8];
        boolean root = PX.geteuid() == 0;
        return Stream.of(
            Arguments.of("stat", (Call) () -> PX.stat(missing), Errors.ENOENT),
            Arguments.of("lstat", (Call) () -> PX.lstat(missing), Errors.ENOENT),
            Arguments.of("fstat", (Call) () -> PX.fstat(-1), Errors.EBADF),
            Arguments.of("open", (Call) () -> PX.open(missing, Posix.O_RDONLY, 0), Errors.ENOENT),
            Arguments.of("open excl", (Call) () -> PX.open(existing.toString(),
                    Posix.O_CREAT | Posix.O_EXCL | Posix.O_WRONLY, 0600), Errors.EEXIST),
            Arguments.of("close", (Call) () -> PX.close(-1), Errors.EBADF),
            Arguments.of("dup2", (Call) () -> PX.dup2(-1, 100), Errors.EBADF),
            Arguments.of("setCloexec", (Call) () -> PX.setCloexec(-1, true), Errors.EBADF),
            Arguments.of("setNonblock", (Call) () -> PX.setNonblock(-1, true), Errors.EBADF),
            Arguments.of("read", (Call) () -> PX.read(-1, b, 0, 8), Errors.EBADF),
            Arguments.of("write", (Call) () -> PX.write(-1, b, 0, 8), Errors.EBADF),
            Arguments.of("pread", (Call) () -> PX.pread(pipe[0], b, 0, 8, 0), Errors.ESPIPE),
            Arguments.of("pwrite", (Call) () -> PX.pwrite(pipe[1], b, 0, 8, 0), Errors.ESPIPE),
            Arguments.of("fsync", (Call) () -> PX.fsync(-1), Errors.EBADF),
            Arguments.of("ftruncate", (Call) () -> PX.ftruncate(pipe[0], 0), Errors.EINVAL),
            Arguments.of("flock", (Call) () -> PX.flock(-1, Posix.LOCK_EX), Errors.EBADF),
            Arguments.of("chown", (Call) () -> PX.chown(missing, 0, 0), Errors.ENOENT),
            Arguments.of("chmod", (Call) () -> PX.chmod(missing, 0600), Errors.ENOENT),
            Arguments.of("mkfifo", (Call) () -> PX.mkfifo(existing.toString(), 0600), Errors.EEXIST),
            Arguments.of("link", (Call) () -> PX.link(missing, dir.resolve("l").toString()), Errors.ENOENT),
            Arguments.of("utimes", (Call) () -> PX.utimes(missing, 1, 2), Errors.ENOENT),
            Arguments.of("kill", (Call) () -> PX.kill(0x3fffffff, 0), Errors.ESRCH),
            Arguments.of("waitpid", (Call) () -> PX.waitpid(1, true), Errors.ECHILD),
            Arguments.of("setuid", (Call) () -> PX.setuid(-1), Errors.EINVAL),
            Arguments.of("setgid", (Call) () -> PX.setgid(-1), Errors.EINVAL),
            Arguments.of("setgroups", (Call) () -> PX.setgroups(new int[70000]),
                    root ? Errors.EINVAL : Errors.EPERM),
            Arguments.of("spawn", (Call) () -> PX.spawn(missing, java.util.List.of("x"), null,
                    new int[] {0, 1, 2}, null), Errors.ENOENT),
            Arguments.of("spawn fd", (Call) () -> PX.spawn("/bin/true", java.util.List.of("true"),
                    null, new int[] {0, 1, 2, 0x3ffffff}, null), Errors.EBADF),
            Arguments.of("exec", (Call) () -> PX.exec(missing, java.util.List.of("x"), null, 3),
                    Errors.ENOENT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingCalls")
    void failureCarriesItsErrno(String name, Call call, int errno) {
        ErrnoException e = assertThrows(ErrnoException.class, call::run);
        assertEquals(Errors.str(errno), Errors.str(e.errno()), e.getMessage());
        assertEquals(errno, e.errno());
    }

    @Test
    void fileCallsDoWhatTheirNamesakesDo() throws IOException {
        String f = dir.resolve("file").toString();
        int fd = PX.open(f, Posix.O_CREAT | Posix.O_EXCL | Posix.O_RDWR, 0640);
        try {
            byte[] hello = "..hello..".getBytes(StandardCharsets.US_ASCII);
            assertEquals(5, PX.write(fd, hello, 2, 5));
            assertEquals(3, PX.pwrite(fd, "abc".getBytes(StandardCharsets.US_ASCII), 0, 3, 10));
            byte[] got = new byte[20];
            assertEquals(13, PX.pread(fd, got, 1, 19, 0));
            assertArrayEquals("hello\0\0\0\0\0abc".getBytes(StandardCharsets.US_ASCII),
                    java.util.Arrays.copyOfRange(got, 1, 14));
            PX.ftruncate(fd, 5);
            PX.fsync(fd);
            Posix.Stat st = PX.fstat(fd);
            assertEquals(5, st.size());
            assertTrue(st.isRegular());
            assertEquals(0640, st.mode() & 07777);
            assertTrue(fdFlags(fd).contains(O_CLOEXEC), "open adds O_CLOEXEC");
        } finally {
            PX.close(fd);
        }
        PX.chmod(f, 0600);
        PX.utimes(f, 1000, 2000);
        Posix.Stat st = PX.stat(f);
        assertEquals(0600, st.mode() & 07777);
        assertEquals(1000, st.atime());
        assertEquals(2000, st.mtime());
        PX.link(f, f + ".link");
        assertEquals(2, PX.lstat(f + ".link").nlink());
        assertEquals(st.ino(), PX.stat(f + ".link").ino());
        PX.mkfifo(f + ".fifo", 0600);
        assertTrue(PX.stat(f + ".fifo").isFifo());
    }

    @Test
    void flockConflictsBetweenOpenFilesAndNonblockingSaysFalse() throws IOException {
        String f = Files.writeString(dir.resolve("lock"), "").toString();
        int a = PX.open(f, Posix.O_RDWR, 0);
        int b = PX.open(f, Posix.O_RDWR, 0);
        try {
            assertTrue(PX.flock(a, Posix.LOCK_EX | Posix.LOCK_NB));
            assertFalse(PX.flock(b, Posix.LOCK_EX | Posix.LOCK_NB));
            PX.flock(a, Posix.LOCK_UN);
            assertTrue(PX.flock(b, Posix.LOCK_EX));
        } finally {
            PX.close(a);
            PX.close(b);
        }
    }

    @Test
    void pipeIsCloseOnExecAndFlagsToggle() throws IOException {
        int[] p = PX.pipe();
        try {
            assertTrue(fdFlags(p[0]).contains(O_CLOEXEC));
            assertTrue(fdFlags(p[1]).contains(O_CLOEXEC));
            PX.setCloexec(p[0], false);
            assertFalse(fdFlags(p[0]).contains(O_CLOEXEC));
            PX.setNonblock(p[0], true);
            assertTrue(fdFlags(p[0]).contains(Posix.O_NONBLOCK));
            byte[] b = new byte[4];
            assertThrows(ErrnoException.class, () -> PX.read(p[0], b, 0, 4), "EAGAIN when empty");
            PX.setNonblock(p[0], false);
            assertEquals(2, PX.write(p[1], new byte[] {'o', 'k'}, 0, 2));
            PX.dup2(p[1], 100);
            PX.close(p[1]);
            PX.close(100);
            assertEquals(2, PX.read(p[0], b, 1, 3));
            assertEquals('o', b[1]);
            assertEquals(0, PX.read(p[0], b, 0, 4), "end of file once every write end is closed");
        } finally {
            PX.close(p[0]);
        }
    }

    @Test
    void dup2OntoItselfStillClearsCloseOnExec() throws IOException {
        int[] p = PX.pipe();
        try {
            PX.dup2(p[0], p[0]);
            assertFalse(fdFlags(p[0]).contains(O_CLOEXEC));
            assertThrows(ErrnoException.class, () -> PX.dup2(0x3ffffff, 0x3ffffff));
        } finally {
            PX.close(p[0]);
            PX.close(p[1]);
        }
    }

    @Test
    void databaseLookups() throws IOException {
        Posix.Passwd root = PX.getpwnam("root");
        assertEquals(new Posix.Passwd("root", 0, 0, root.home(), root.shell()), root);
        assertEquals("root", PX.getpwuid(0).name());
        assertEquals(0, PX.getgrnam("root").gid());
        assertNull(PX.getpwnam("no-such-user-jqmail"));
        assertNull(PX.getgrnam("no-such-group-jqmail"));
        assertThrows(IllegalArgumentException.class, () -> PX.getpwnam("r\0oot"));
        assertThrows(IllegalArgumentException.class, () -> PX.getpwnam("\u0100"));
    }

    @Test
    void identityAndUmask() throws IOException {
        assertEquals(ProcessHandle.current().pid(), PX.getpid());
        assertTrue(PX.getuid() >= 0 && PX.geteuid() >= 0 && PX.getgid() >= 0 && PX.getegid() >= 0);
        PX.getgroups();
        int old = PX.umask(027);
        assertEquals(027, PX.umask(old));
    }

    /** The {@code flags:} of /proc/self/fdinfo/N, as a bit set. */
    private static FlagSet fdFlags(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return new FlagSet(Integer.parseInt(line.substring(6).trim(), 8));
            }
        }
        throw new AssertionError("no flags for fd " + fd);
    }

    private record FlagSet(int bits) {
        boolean contains(int flag) {
            return (bits & flag) == flag;
        }
    }
}
