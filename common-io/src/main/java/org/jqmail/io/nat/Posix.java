package org.jqmail.io.nat;

import java.io.IOException;
import java.util.List;

/**
 * The native calls this project needs, behind a plain interface (the only native code in the
 * project lives in this package). Every failing call throws an
 * {@link org.jqmail.io.Errors.ErrnoException} carrying the errno, so callers can classify it
 * the way qmail does.
 *
 * <p>Only long-lived daemons and the rare short-lived path that truly needs it (exec of
 * {@code $QMAILQUEUE} with an fd map) may touch this: loading it costs hundreds of milliseconds
 * of JVM start-up (doc/ARCHITECTURE.md §2). Obtain it with {@link Nat#posix()}.
 */
public interface Posix {
    /** Password database entry (getpwnam/getpwuid). */
    record Passwd(String name, int uid, int gid, String home, String shell) {
    }

    /** Group database entry. */
    record Group(String name, int gid, List<String> members) {
    }

    /** The fields of stat(2) this project uses. */
    record Stat(long dev, long ino, int mode, int nlink, int uid, int gid, long size,
                long atime, long mtime, long ctime) {
        public static final int S_IFMT = 0170000;
        public static final int S_IFREG = 0100000;
        public static final int S_IFDIR = 0040000;
        public static final int S_IFIFO = 0010000;
        public static final int S_IFLNK = 0120000;
        public static final int S_IFSOCK = 0140000;

        public boolean isRegular() {
            return (mode & S_IFMT) == S_IFREG;
        }

        public boolean isDirectory() {
            return (mode & S_IFMT) == S_IFDIR;
        }

        public boolean isFifo() {
            return (mode & S_IFMT) == S_IFIFO;
        }
    }

    /**
     * One record read by {@link #recvFds}: its length, the descriptors that came with it, and
     * whether the record or its descriptors were cut short (the caller then refuses it).
     */
    record Received(int length, int[] fds, boolean truncated) {
    }

    int getuid();

    int geteuid();

    int getgid();

    int getegid();

    int getpid();

    /** Supplementary groups of this process. */
    int[] getgroups() throws IOException;

    /** null if there is no such user. */
    Passwd getpwnam(String name) throws IOException;

    /** null if there is no such uid. */
    Passwd getpwuid(int uid) throws IOException;

    /** null if there is no such group. */
    Group getgrnam(String name) throws IOException;

    void setgroups(int[] gids) throws IOException;

    /** initgroups(3): the supplementary groups of {@code user} plus {@code gid}. */
    void initgroups(String user, int gid) throws IOException;

    void setgid(int gid) throws IOException;

    void setuid(int uid) throws IOException;

    int umask(int mask);

    /** A pipe whose two ends are close-on-exec: {read, write}. */
    int[] pipe() throws IOException;

    void close(int fd) throws IOException;

    /** dup2(2); the new descriptor is not close-on-exec. */
    void dup2(int from, int to) throws IOException;

    /** Sets or clears FD_CLOEXEC. */
    void setCloexec(int fd, boolean on) throws IOException;

    /** Sets or clears O_NONBLOCK. */
    void setNonblock(int fd, boolean on) throws IOException;

    /** open(2) with O_CLOEXEC added; returns the descriptor. */
    int open(String path, int flags, int mode) throws IOException;

    /** read(2); returns 0 at end of file. */
    int read(int fd, byte[] buf, int off, int len) throws IOException;

    /** write(2); returns the number of bytes written. */
    int write(int fd, byte[] buf, int off, int len) throws IOException;

    int pread(int fd, byte[] buf, int off, int len, long pos) throws IOException;

    int pwrite(int fd, byte[] buf, int off, int len, long pos) throws IOException;

    void fsync(int fd) throws IOException;

    void ftruncate(int fd, long len) throws IOException;

    /**
     * The credentials of the peer of the Unix-domain socket {@code fd} as the kernel recorded
     * them when the peer connected (getsockopt SO_PEERCRED): {@code {pid, uid, gid}}, each as
     * an unsigned 32-bit value. The pid is the peer's process (thread group) id in this
     * process's pid namespace, 0 if the peer's process is not visible there.
     */
    long[] peerCred(int fd) throws IOException;

    /** flock(2); returns false if {@code nonblock} and the lock is held elsewhere. */
    boolean flock(int fd, int op) throws IOException;

    Stat stat(String path) throws IOException;

    Stat lstat(String path) throws IOException;

    Stat fstat(int fd) throws IOException;

    void chown(String path, int uid, int gid) throws IOException;

    void chmod(String path, int mode) throws IOException;

    void mkfifo(String path, int mode) throws IOException;

    void link(String from, String to) throws IOException;

    /** utimes(2) with whole seconds. */
    void utimes(String path, long atime, long mtime) throws IOException;

    /**
     * Starts {@code path} with the given argv and environment (null = inherit this process's)
     * and descriptors: child descriptor {@code i} is a copy of this process's descriptor
     * {@code fdMap[i]}, or closed if {@code fdMap[i] < 0}. Every descriptor at or above
     * {@code fdMap.length} is closed in the child, the signal mask is emptied and every
     * signal's disposition reset to default. {@code cwd} (nullable) is the child's working
     * directory. Returns the child's pid. Never forks the JVM (posix_spawn).
     */
    long spawn(String path, List<String> argv, List<String> env, int[] fdMap, String cwd)
            throws IOException;

    /**
     * waitpid(2). Returns null if {@code nohang} and the child has not exited, else its raw
     * wait status (decode with {@link WaitStatus}).
     */
    WaitStatus waitpid(long pid, boolean nohang) throws IOException;

    void kill(long pid, int sig) throws IOException;

    /**
     * Replaces this process: every descriptor at or above {@code keepBelow} is made
     * close-on-exec first, the calling thread's signal mask is emptied (a JVM thread blocks
     * SIGQUIT, and the mask survives exec), then execve(2). Returns only by throwing.
     */
    void exec(String path, List<String> argv, List<String> env, int keepBelow) throws IOException;

    /**
     * poll(2) on one descriptor: waits up to {@code millis} milliseconds (negative: no limit)
     * for {@code events} ({@link #POLLIN}, {@link #POLLOUT}); returns the events that
     * happened (with {@link #POLLERR}, {@link #POLLHUP} or {@link #POLLNVAL} among them), or
     * 0 when the time ran out. A signal restarts the wait with the time left.
     */
    int poll(int fd, int events, int millis) throws IOException;

    /** shutdown(2) with {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}. */
    void shutdown(int fd, int how) throws IOException;

    /**
     * A Unix-domain {@code SOCK_SEQPACKET} socket bound at {@code path} and listening, close-on-exec.
     * The socket file gets mode 0777 less the umask; the directory it is in decides who may reach it.
     */
    int listenSeqpacket(String path, int backlog) throws IOException;

    /** A {@code SOCK_SEQPACKET} socket connected to {@code path}, close-on-exec. */
    int connectSeqpacket(String path) throws IOException;

    /** A connected pair of {@code SOCK_SEQPACKET} sockets, close-on-exec (tests). */
    int[] seqpacketPair() throws IOException;

    /** accept4(2), close-on-exec; restarted after a signal or a connection aborted before it was taken. */
    int accept(int fd) throws IOException;

    /**
     * recvmsg(2): one record into {@code buf} (a direct buffer, from its position up to its
     * limit; the position is not moved) with up to {@code maxFds} descriptors passed as
     * SCM_RIGHTS, received close-on-exec. Returns length 0 at end of file. Descriptors beyond
     * {@code maxFds} are closed by the kernel, and the record says truncated.
     */
    Received recvFds(int fd, java.nio.ByteBuffer buf, int maxFds) throws IOException;

    /** sendmsg(2): bytes {@code b[off, off+len)} as one record, with {@code fds} as SCM_RIGHTS. */
    int sendFds(int fd, byte[] b, int off, int len, int[] fds) throws IOException;

    /** poll events. */
    int POLLIN = 0x001;
    int POLLOUT = 0x004;
    int POLLERR = 0x008;
    int POLLHUP = 0x010;
    int POLLNVAL = 0x020;

    /** shutdown(2) directions. */
    int SHUT_RD = 0;
    int SHUT_WR = 1;
    int SHUT_RDWR = 2;

    /** Flag values for {@link #open} (Linux x86_64 and aarch64). */
    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_RDWR = 2;
    int O_CREAT = 0100;
    int O_EXCL = 0200;
    int O_NOCTTY = 0400;
    int O_TRUNC = 01000;
    int O_APPEND = 02000;
    int O_NONBLOCK = 04000;

    /** flock operations. */
    int LOCK_SH = 1;
    int LOCK_EX = 2;
    int LOCK_NB = 4;
    int LOCK_UN = 8;

    /** Signal numbers (Linux). */
    int SIGHUP = 1;
    int SIGINT = 2;
    int SIGKILL = 9;
    int SIGALRM = 14;
    int SIGTERM = 15;
}
