package org.jqmail.io.nat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import jnr.posix.util.DefaultPOSIXHandler;
import org.jqmail.io.Errors;
import org.jqmail.io.Errors.ErrnoException;

/**
 * {@link Posix} on jnr-posix, plus the small {@link Libc} binding for what jnr-posix lacks or
 * gets wrong (its posix_spawnp gives glibc a 128-byte spawnattr where glibc writes 336 bytes
 * and loses the error code; its varargs fcntl drops the argument; its getpwnam is not
 * reentrant).
 *
 * <p>Synopsis: obtained through {@link Nat#posix()} only; loading it costs hundreds of
 * milliseconds of start-up (doc/ARCHITECTURE.md §2). Thread-safe.
 *
 * <p>Failures: every failing call throws {@link ErrnoException} with its errno. jnr-ffi saves
 * errno in native code right after each call on the calling thread, and it is read here before
 * any other native call on that thread. Calls that can be interrupted by a signal (read,
 * write, flock, waitpid, open, dup2) are restarted on EINTR; close is not (on Linux the
 * descriptor is gone either way).
 *
 * <p>Strings: {@link Libc} calls pass ISO-8859-1 bytes ({@link CStr}); jnr-posix encodes its
 * path arguments (open, stat, chown, chmod, mkfifo, link, utimes) with the JVM's default
 * charset, which is the same for the ASCII paths qmail uses.
 *
 * <p>See also: doc/ARCHITECTURE.md §2, doc/CODING.md §5.
 */
final class JnrPosix implements Posix {
    private static final int WNOHANG = 1;

    private final POSIX px;
    private final Libc c;
    private final Runtime rt;
    private final PasswdDb db;
    private final PosixSpawn spawner;
    private final JnrSockets sockets;

    JnrPosix() {
        px = POSIXFactory.getNativePOSIX(new DefaultPOSIXHandler());
        c = Libc.load();
        rt = Runtime.getRuntime(c);
        db = new PasswdDb(c, rt);
        spawner = new PosixSpawn(c, rt);
        sockets = new JnrSockets(px, c, rt);
    }

    /** The exception for the call that just failed on this thread. */
    private ErrnoException fail(String what) {
        return new ErrnoException(what, rt.getLastError());
    }

    /** Throws for a call that returned {@code r < 0}. */
    private void ok(int r, String what) throws ErrnoException {
        if (r < 0) {
            throw fail(what);
        }
    }

    /** True if the call that just failed was interrupted by a signal. */
    private boolean interrupted() {
        return rt.getLastError() == Errors.EINTR;
    }

    @Override public int getuid() { return px.getuid(); }

    @Override public int geteuid() { return px.geteuid(); }

    @Override public int getgid() { return px.getgid(); }

    @Override public int getegid() { return px.getegid(); }

    @Override public int getpid() { return px.getpid(); }

    @Override
    public int[] getgroups() throws IOException {
        while (true) {
            int n = c.getgroups(0, new int[0]);
            if (n < 0) {
                throw fail("getgroups");
            }
            int[] g = new int[n];
            int m = c.getgroups(n, g);
            if (m >= 0) {
                return java.util.Arrays.copyOf(g, m);
            }
            if (rt.getLastError() != Errors.EINVAL) {
                throw fail("getgroups");
            }
            // EINVAL: the groups grew between the two calls; ask again.
        }
    }

    @Override public Passwd getpwnam(String name) throws IOException { return db.getpwnam(name); }

    @Override public Passwd getpwuid(int uid) throws IOException { return db.getpwuid(uid); }

    @Override public Group getgrnam(String name) throws IOException { return db.getgrnam(name); }

    @Override
    public void setgroups(int[] gids) throws IOException {
        ok(c.setgroups(gids.length, gids), "setgroups");
    }

    @Override
    public void initgroups(String user, int gid) throws IOException {
        ok(c.initgroups(CStr.of(user), gid), "initgroups " + user);
    }

    @Override
    public void setgid(int gid) throws IOException {
        ok(px.setgid(gid), "setgid " + gid);
    }

    @Override
    public void setuid(int uid) throws IOException {
        ok(px.setuid(uid), "setuid " + uid);
    }

    @Override public int umask(int mask) { return px.umask(mask); }

    @Override
    public int[] pipe() throws IOException {
        int[] fds = new int[2];
        if (c.pipe2(fds, Libc.O_CLOEXEC) < 0) {
            throw fail("pipe");
        }
        return fds;
    }

    @Override
    public void close(int fd) throws IOException {
        if (c.close(fd) < 0 && !interrupted()) {
            throw fail("close " + fd);
        }
    }

    @Override
    public void dup2(int from, int to) throws IOException {
        if (from == to) {
            // dup2 then does nothing at all, so the promise "not close-on-exec" needs fcntl.
            setCloexec(to, false);
            return;
        }
        while (px.dup2(from, to) < 0) {
            if (!interrupted()) {
                throw fail("dup2 " + from + " " + to);
            }
        }
    }

    @Override
    public void setCloexec(int fd, boolean on) throws IOException {
        setFlag(fd, Libc.F_GETFD, Libc.F_SETFD, Libc.FD_CLOEXEC, on);
    }

    @Override
    public void setNonblock(int fd, boolean on) throws IOException {
        setFlag(fd, Libc.F_GETFL, Libc.F_SETFL, O_NONBLOCK, on);
    }

    private void setFlag(int fd, int get, int set, int bit, boolean on) throws IOException {
        int flags = c.fcntl(fd, get, 0);
        if (flags < 0 || c.fcntl(fd, set, on ? flags | bit : flags & ~bit) < 0) {
            throw fail("fcntl " + fd);
        }
    }

    @Override
    public int open(String path, int flags, int mode) throws IOException {
        while (true) {
            int fd = px.open(path, flags | Libc.O_CLOEXEC, mode);
            if (fd >= 0) {
                return fd;
            }
            if (!interrupted()) {
                throw fail("open " + path);
            }
        }
    }

    /** One read or write on {@code b}; returns the byte count or -1 with errno set. */
    private interface Io {
        long call(ByteBuffer b);
    }

    private int io(String what, int fd, byte[] buf, int off, int len, Io f) throws IOException {
        Objects.checkFromIndexSize(off, len, buf.length);
        while (true) {
            long n = f.call(ByteBuffer.wrap(buf, off, len));
            if (n >= 0) {
                return (int) n;
            }
            if (!interrupted()) {
                throw fail(what + " " + fd);
            }
        }
    }

    @Override
    public int read(int fd, byte[] buf, int off, int len) throws IOException {
        return io("read", fd, buf, off, len, b -> c.read(fd, b, len));
    }

    @Override
    public int write(int fd, byte[] buf, int off, int len) throws IOException {
        return io("write", fd, buf, off, len, b -> c.write(fd, b, len));
    }

    @Override
    public int pread(int fd, byte[] buf, int off, int len, long pos) throws IOException {
        return io("pread", fd, buf, off, len, b -> c.pread(fd, b, len, pos));
    }

    @Override
    public int pwrite(int fd, byte[] buf, int off, int len, long pos) throws IOException {
        return io("pwrite", fd, buf, off, len, b -> c.pwrite(fd, b, len, pos));
    }

    @Override
    public long[] peerCred(int fd) throws IOException {
        byte[] ucred = new byte[12];
        IntByReference len = new IntByReference(ucred.length);
        ok(c.getsockopt(fd, Libc.SOL_SOCKET, Libc.SO_PEERCRED, ucred, len), "getsockopt " + fd);
        if (len.intValue() != ucred.length) {
            throw new ErrnoException("getsockopt " + fd + ": short struct ucred", Errors.EINVAL);
        }
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } in the machine's (little-endian) order.
        ByteBuffer b = ByteBuffer.wrap(ucred).order(java.nio.ByteOrder.nativeOrder());
        return new long[] {b.getInt(0) & 0xffffffffL, b.getInt(4) & 0xffffffffL, b.getInt(8) & 0xffffffffL};
    }

    @Override
    public void fsync(int fd) throws IOException {
        ok(c.fsync(fd), "fsync " + fd);
    }

    @Override
    public void ftruncate(int fd, long len) throws IOException {
        ok(c.ftruncate(fd, len), "ftruncate " + fd);
    }

    @Override
    public boolean flock(int fd, int op) throws IOException {
        while (px.flock(fd, op) < 0) {
            int errno = rt.getLastError();
            if ((op & LOCK_NB) != 0 && errno == Errors.EAGAIN) {
                return false;
            }
            if (errno != Errors.EINTR) {
                throw new ErrnoException("flock " + fd, errno);
            }
        }
        return true;
    }

    @Override
    public Stat stat(String path) throws IOException {
        FileStat st = px.allocateStat();
        ok(px.stat(path, st), "stat " + path);
        return stat(st);
    }

    @Override
    public Stat lstat(String path) throws IOException {
        FileStat st = px.allocateStat();
        ok(px.lstat(path, st), "lstat " + path);
        return stat(st);
    }

    @Override
    public Stat fstat(int fd) throws IOException {
        FileStat st = px.allocateStat();
        ok(px.fstat(fd, st), "fstat " + fd);
        return stat(st);
    }

    private static Stat stat(FileStat s) {
        return new Stat(s.dev(), s.ino(), s.mode(), s.nlink(), s.uid(), s.gid(), s.st_size(),
                s.atime(), s.mtime(), s.ctime());
    }

    @Override
    public void chown(String path, int uid, int gid) throws IOException {
        ok(px.chown(path, uid, gid), "chown " + path);
    }

    @Override
    public void chmod(String path, int mode) throws IOException {
        ok(px.chmod(path, mode), "chmod " + path);
    }

    @Override
    public void mkfifo(String path, int mode) throws IOException {
        ok(px.mkfifo(path, mode), "mkfifo " + path);
    }

    @Override
    public void link(String from, String to) throws IOException {
        ok(px.link(from, to), "link " + from + " " + to);
    }

    @Override
    public void utimes(String path, long atime, long mtime) throws IOException {
        ok(px.utimes(path, new long[] {atime, 0}, new long[] {mtime, 0}), "utimes " + path);
    }

    @Override
    public long spawn(String path, List<String> argv, List<String> env, int[] fdMap, String cwd)
            throws IOException {
        return spawner.spawn(path, argv, env, fdMap, cwd);
    }

    @Override
    public WaitStatus waitpid(long pid, boolean nohang) throws IOException {
        int[] status = new int[1];
        while (true) {
            int r = px.waitpid(pid, status, nohang ? WNOHANG : 0);
            if (r > 0) {
                return new WaitStatus(status[0]);
            }
            if (r == 0) {
                return null;
            }
            if (!interrupted()) {
                throw fail("waitpid " + pid);
            }
        }
    }

    @Override
    public void kill(long pid, int sig) throws IOException {
        ok(px.kill(Math.toIntExact(pid), sig), "kill " + pid);
    }

    @Override
    public void exec(String path, List<String> argv, List<String> env, int keepBelow) throws IOException {
        spawner.exec(path, argv, env, keepBelow);
    }

    @Override
    public int poll(int fd, int events, int millis) throws IOException {
        return sockets.poll(fd, events, millis);
    }

    @Override
    public void shutdown(int fd, int how) throws IOException {
        sockets.shutdown(fd, how);
    }

    @Override
    public int listenSeqpacket(String path, int backlog) throws IOException {
        return sockets.listen(path, backlog);
    }

    @Override
    public int connectSeqpacket(String path) throws IOException {
        return sockets.connect(path);
    }

    @Override
    public int[] seqpacketPair() throws IOException {
        return sockets.pair();
    }

    @Override
    public int accept(int fd) throws IOException {
        return sockets.accept(fd);
    }

    @Override
    public Received recvFds(int fd, ByteBuffer buf, int maxFds) throws IOException {
        return sockets.recv(fd, buf, maxFds);
    }

    @Override
    public int sendFds(int fd, byte[] b, int off, int len, int[] fds) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        return sockets.send(fd, b, off, len, fds);
    }
}
