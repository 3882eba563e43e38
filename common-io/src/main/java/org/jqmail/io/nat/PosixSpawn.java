package org.jqmail.io.nat;

import java.io.File;
import java.io.IOException;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;
import org.jqmail.io.Errors;
import org.jqmail.io.Errors.ErrnoException;
import org.jqmail.io.Scan;

/**
 * Starting and becoming other programs: {@link Posix#spawn} through glibc's posix_spawn and
 * {@link Posix#exec} through execve.
 *
 * <p>posix_spawn never forks the JVM: glibc starts the child with clone(CLONE_VM|CLONE_VFORK),
 * so nothing of the JVM runs in it, and it reports a failed exec as its return value. The
 * child's descriptors are set by file actions alone: every source descriptor is first copied
 * above the target range (F_DUPFD_CLOEXEC), the copies are dup2'ed onto the targets, unmapped
 * targets are closed and {@code closefrom(fdMap.length)} closes everything else, the JVM's
 * many descriptors without close-on-exec included. A map that swaps descriptors (child 3 from
 * parent 5, child 5 from parent 3) therefore needs no ordering. The temporary copies are
 * closed in the parent again.
 *
 * <p>Both paths empty the signal mask: a JVM thread blocks some signals (SIGQUIT among them),
 * and a blocked mask survives exec.
 *
 * <p>See also: posix_spawn(3), posix_spawn_file_actions_addclosefrom_np(3), close_range(2).
 */
final class PosixSpawn {
    private final Libc c;
    private final Runtime rt;

    PosixSpawn(Libc c, Runtime rt) {
        this.c = c;
        this.rt = rt;
    }

    long spawn(String path, List<String> argv, List<String> env, int[] fdMap, String cwd)
            throws IOException {
        int n = fdMap.length;
        int[] tmp = new int[n];
        Arrays.fill(tmp, -1);
        try {
            for (int i = 0; i < n; i++) {
                if (fdMap[i] >= 0) {
                    tmp[i] = c.fcntl(fdMap[i], Libc.F_DUPFD_CLOEXEC, n);
                    if (tmp[i] < 0) {
                        throw new ErrnoException("spawn: descriptor " + fdMap[i], rt.getLastError());
                    }
                }
            }
            return spawnMapped(path, argv, env, tmp, cwd);
        } finally {
            for (int fd : tmp) {
                if (fd >= 0) {
                    c.close(fd);
                }
            }
        }
    }

    /** posix_spawn with child fd {@code i} a copy of {@code src[i]} (all above the targets). */
    private long spawnMapped(String path, List<String> argv, List<String> env, int[] src,
                             String cwd) throws IOException {
        Pointer fa = Memory.allocateDirect(rt, Libc.FILE_ACTIONS_SIZE, true);
        Pointer attr = Memory.allocateDirect(rt, Libc.SPAWNATTR_SIZE, true);
        Pointer none = sigset(false);
        Pointer all = sigset(true);
        check(c.posix_spawn_file_actions_init(fa), "file actions");
        try {
            check(c.posix_spawnattr_init(attr), "spawn attributes");
            try {
                fileActions(fa, src, cwd);
                check(c.posix_spawnattr_setsigmask(attr, none), "signal mask");
                check(c.posix_spawnattr_setsigdefault(attr, all), "signal defaults");
                check(c.posix_spawnattr_setflags(attr,
                        (short) (Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF)), "flags");
                Pointer argvp = CStr.vector(rt, argv);
                Pointer envp = env == null ? environ() : CStr.vector(rt, env);
                IntByReference pid = new IntByReference();
                int err = c.posix_spawn(pid, CStr.of(path), fa, attr, argvp, envp);
                Reference.reachabilityFence(argvp);
                Reference.reachabilityFence(envp);
                if (err != 0) {
                    throw new ErrnoException("spawn " + path, err);
                }
                return pid.intValue();
            } finally {
                c.posix_spawnattr_destroy(attr);
            }
        } finally {
            c.posix_spawn_file_actions_destroy(fa);
            Reference.reachabilityFence(none);
            Reference.reachabilityFence(all);
        }
    }

    /** dup2 each source onto its target, close unmapped targets and everything above. */
    private void fileActions(Pointer fa, int[] src, String cwd) throws ErrnoException {
        for (int i = 0; i < src.length; i++) {
            check(src[i] >= 0 ? c.posix_spawn_file_actions_adddup2(fa, src[i], i)
                    : c.posix_spawn_file_actions_addclose(fa, i), "dup2 action");
        }
        try {
            check(c.posix_spawn_file_actions_addclosefrom_np(fa, src.length), "closefrom action");
            if (cwd != null) {
                check(c.posix_spawn_file_actions_addchdir_np(fa, CStr.of(cwd)), "chdir action");
            }
        } catch (UnsatisfiedLinkError e) {
            // Without closefrom the child would inherit the JVM's descriptors: refuse.
            throw new ErrnoException("spawn: glibc 2.34 or later needed", Errors.ENOSYS);
        }
    }

    void exec(String path, List<String> argv, List<String> env, int keepBelow) throws IOException {
        cloexecFrom(keepBelow);
        Pointer argvp = CStr.vector(rt, argv);
        Pointer envp = env == null ? environ() : CStr.vector(rt, env);
        Pointer none = sigset(false);
        Pointer old = sigset(false);
        int err = c.pthread_sigmask(Libc.SIG_SETMASK, none, old);
        if (err != 0) {
            throw new ErrnoException("exec: signal mask", err);
        }
        c.execve(CStr.of(path), argvp, envp);
        int errno = rt.getLastError();
        c.pthread_sigmask(Libc.SIG_SETMASK, old, null);
        Reference.reachabilityFence(argvp);
        Reference.reachabilityFence(envp);
        Reference.reachabilityFence(none);
        Reference.reachabilityFence(old);
        throw new ErrnoException("exec " + path, errno);
    }

    /** Marks every descriptor from {@code low} up close-on-exec. */
    private void cloexecFrom(int low) throws IOException {
        try {
            if (c.close_range(low, -1, Libc.CLOSE_RANGE_CLOEXEC) == 0) {
                return;
            }
            int errno = rt.getLastError();
            if (errno != Errors.ENOSYS && errno != Errors.EINVAL) {
                throw new ErrnoException("close_range", errno);
            }
        } catch (UnsatisfiedLinkError e) {
            // glibc before 2.34: fall through to the listing below.
        }
        String[] names = new File("/proc/self/fd").list();
        if (names == null) {
            throw new ErrnoException("/proc/self/fd", Errors.ENOENT);
        }
        for (String name : names) {
            long fd = Scan.strict(name);
            if (fd >= low && fd <= Integer.MAX_VALUE) {
                int flags = c.fcntl((int) fd, Libc.F_GETFD, 0);
                // EBADF: the descriptor of the listing itself, closed meanwhile.
                if (flags >= 0 && c.fcntl((int) fd, Libc.F_SETFD, flags | Libc.FD_CLOEXEC) < 0) {
                    throw new ErrnoException("fcntl " + fd, rt.getLastError());
                }
            }
        }
    }

    private Pointer environ() {
        return Pointer.wrap(rt, c.environ().get());
    }

    private Pointer sigset(boolean full) {
        Pointer set = Memory.allocateDirect(rt, Libc.SIGSET_SIZE, true);
        if (full) {
            c.sigfillset(set);
        } else {
            c.sigemptyset(set);
        }
        return set;
    }

    private static void check(int err, String what) throws ErrnoException {
        if (err != 0) {
            throw new ErrnoException("spawn: " + what, err);
        }
    }
}
