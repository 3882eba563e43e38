package org.jqmail.io.nat;

import java.nio.ByteBuffer;
import jnr.ffi.Pointer;
import jnr.ffi.Variable;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.PointerByReference;

/**
 * The small jnr-ffi binding of glibc for what jnr-posix lacks or gets wrong: supplementary
 * groups, pipe2, fcntl with an argument, reads and writes at an array offset, reentrant
 * password lookups, posix_spawn with attributes, close_range, execve on byte strings, a
 * Unix-domain peer's credentials (getsockopt SO_PEERCRED), and the Unix-domain socket calls of
 * the SMTP hand-off (socket, bind, listen, accept4, connect, poll, shutdown; recvmsg and
 * sendmsg are jnr-posix's).
 *
 * <p>Synopsis: {@code Libc.load()} once (it generates the stub class), then plain calls. Every
 * string argument is a NUL-terminated {@code byte[]} made by {@link CStr}, so no charset is
 * involved. jnr-ffi saves errno right after each call, in native code on the calling thread;
 * read it with {@code jnr.ffi.Runtime#getLastError()} before the next native call on that
 * thread. Functions of the posix_spawn and pthread families return their error number instead.
 *
 * <p>Layouts assume LP64 Linux with glibc (x86_64, aarch64). {@code addclosefrom_np} and
 * {@code close_range} need glibc 2.34 (Debian 12 has 2.36).
 *
 * <p>Not an API: it is public only because jnr-ffi defines its generated implementation in a
 * class loader of its own, which could not reach a package-private interface. Use {@link Posix}.
 *
 * <p>See also: posix_spawn(3), close_range(2), getpwnam_r(3), setgroups(2).
 */
public interface Libc {
    int O_CLOEXEC = 02000000;
    int F_DUPFD_CLOEXEC = 1030;
    int F_GETFD = 1;
    int F_SETFD = 2;
    int F_GETFL = 3;
    int F_SETFL = 4;
    int FD_CLOEXEC = 1;
    int CLOSE_RANGE_CLOEXEC = 4;
    int SIG_SETMASK = 2;
    short POSIX_SPAWN_SETSIGDEF = 0x04;
    short POSIX_SPAWN_SETSIGMASK = 0x08;
    /** Generous sizes: glibc's are 80, 336 and 128 bytes. */
    int FILE_ACTIONS_SIZE = 256;
    int SPAWNATTR_SIZE = 512;
    int SIGSET_SIZE = 128;
    int AF_UNIX = 1;
    int SOCK_SEQPACKET = 5;
    int SOCK_CLOEXEC = O_CLOEXEC;
    int SCM_RIGHTS = 1;
    int MSG_TRUNC = 0x20;
    int MSG_CTRUNC = 0x08;
    int MSG_NOSIGNAL = 0x4000;
    int MSG_CMSG_CLOEXEC = 0x40000000;
    /** sizeof(struct sockaddr_un): a 2-byte family, then 108 bytes of path. */
    int SOCKADDR_UN_SIZE = 110;

    /** Loads the binding from the C library. */
    static Libc load() {
        return jnr.ffi.LibraryLoader.create(Libc.class).load("c");
    }

    int close(int fd);

    int getgroups(int size, @Out int[] list);

    int setgroups(long size, @In int[] list);

    int initgroups(@In byte[] user, int group);

    int pipe2(@Out int[] fds, int flags);

    @Variadic(fixedCount = 2)
    int fcntl(int fd, int cmd, int arg);

    long read(int fd, @Out ByteBuffer buf, long count);

    long write(int fd, @In ByteBuffer buf, long count);

    long pread(int fd, @Out ByteBuffer buf, long count, long offset);

    long pwrite(int fd, @In ByteBuffer buf, long count, long offset);

    int fsync(int fd);

    int ftruncate(int fd, long length);

    int getpwnam_r(@In byte[] name, Pointer pwd, Pointer buf, long buflen, PointerByReference result);

    int getpwuid_r(int uid, Pointer pwd, Pointer buf, long buflen, PointerByReference result);

    int getgrnam_r(@In byte[] name, Pointer grp, Pointer buf, long buflen, PointerByReference result);

    int close_range(int first, int last, int flags);

    int socket(int domain, int type, int protocol);

    int bind(int fd, @In byte[] addr, int addrlen);

    int listen(int fd, int backlog);

    int accept4(int fd, Pointer addr, Pointer addrlen, int flags);

    int connect(int fd, @In byte[] addr, int addrlen);

    int shutdown(int fd, int how);

    /** poll(2) on {@code struct pollfd}s laid out in {@code fds} (8 bytes each, native order). */
    int poll(@In @Out byte[] fds, long nfds, int timeout);

    /** SOL_SOCKET and SO_PEERCRED (Linux x86_64 and aarch64). */
    int SOL_SOCKET = 1;
    int SO_PEERCRED = 17;

    int getsockopt(int fd, int level, int optname, @Out byte[] optval, IntByReference optlen);

    int execve(@In byte[] path, Pointer argv, Pointer envp);

    int pthread_sigmask(int how, Pointer set, Pointer oldset);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    /**
     * The address held by {@code environ}, the process environment as execve and
     * posix_spawn take it. (jnr-ffi 2.2.17 cannot generate a {@code Variable<Pointer>}.)
     */
    Variable<Long> environ();

    int posix_spawn(IntByReference pid, @In byte[] path, Pointer fileActions, Pointer attr,
                    Pointer argv, Pointer envp);

    int posix_spawn_file_actions_init(Pointer fa);

    int posix_spawn_file_actions_destroy(Pointer fa);

    int posix_spawn_file_actions_adddup2(Pointer fa, int fd, int newfd);

    int posix_spawn_file_actions_addclose(Pointer fa, int fd);

    int posix_spawn_file_actions_addclosefrom_np(Pointer fa, int from);

    int posix_spawn_file_actions_addchdir_np(Pointer fa, @In byte[] path);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_destroy(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer sigmask);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigdefault);
}
