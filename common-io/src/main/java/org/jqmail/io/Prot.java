package org.jqmail.io;

import java.io.IOException;
import java.util.Arrays;
import org.jqmail.io.nat.Posix;

/**
 * Dropping root for good, qmail's {@code prot.c}: supplementary groups, then the gid, then the
 * uid, and then proof that it worked.
 *
 * <p>Synopsis: {@link #drop(Posix, int, int, int[])} with explicit groups (qmail's
 * {@code prot_gid} passes exactly the one group); {@link #drop(Posix, String, int, int)} takes
 * the user's groups from the group database with initgroups(3).
 *
 * <p>glibc applies setgroups, setgid and setuid to every thread of the process (the "setxid"
 * broadcast), so a JVM's GC, compiler and other threads drop with the caller; PrivilegeDropIT
 * proves it thread by thread from {@code /proc/self/task}.
 *
 * <p>Failure: any failing call throws; afterwards real and effective uid and gid must equal
 * the targets, the groups must be exactly the requested set, and setuid(0) must now fail
 * (which also proves the saved uid is gone), else an {@link IOException} says which check
 * failed. A caller must treat every exception as fatal: the process is then in an unknown
 * state. Security: call it before reading any untrusted input (doc/CODING.md §3).
 *
 * <p>See also: prot.c, qmail-lspawn.c ({@code if (!getuid()) _exit(QLX_ROOT)}), setgroups(2).
 */
public final class Prot {
    private Prot() {
    }

    /** setgroups({@code groups}), setgid({@code gid}), setuid({@code uid}), then verify. */
    public static void drop(Posix px, int uid, int gid, int[] groups) throws IOException {
        refuseRoot(uid);
        px.setgroups(groups);
        px.setgid(gid);
        px.setuid(uid);
        verify(px, uid, gid);
        int[] want = Arrays.stream(groups).distinct().sorted().toArray();
        int[] have = Arrays.stream(px.getgroups()).distinct().sorted().toArray();
        if (!Arrays.equals(want, have)) {
            throw new IOException("privilege drop failed: groups are " + Arrays.toString(have));
        }
    }

    /** initgroups({@code user}, {@code gid}), setgid({@code gid}), setuid({@code uid}), then verify. */
    public static void drop(Posix px, String user, int uid, int gid) throws IOException {
        refuseRoot(uid);
        px.initgroups(user, gid);
        px.setgid(gid);
        px.setuid(uid);
        verify(px, uid, gid);
    }

    private static void refuseRoot(int uid) {
        if (uid == 0) {
            throw new IllegalArgumentException("refusing to drop privileges to uid 0");
        }
    }

    private static void verify(Posix px, int uid, int gid) throws IOException {
        int ruid = px.getuid();
        int euid = px.geteuid();
        int rgid = px.getgid();
        int egid = px.getegid();
        if (ruid != uid || euid != uid || rgid != gid || egid != gid) {
            throw new IOException("privilege drop failed: uid " + ruid + "/" + euid
                    + " gid " + rgid + "/" + egid);
        }
        boolean regained;
        try {
            px.setuid(0);
            regained = true;
        } catch (Errors.ErrnoException e) {
            regained = px.getuid() == 0 || px.geteuid() == 0;
        }
        if (regained) {
            throw new IOException("privilege drop failed: setuid(0) succeeded");
        }
    }
}
