package org.jqmail.io.nat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.PointerByReference;
import org.jqmail.io.Errors;
import org.jqmail.io.Errors.ErrnoException;

/**
 * The password and group databases through glibc's reentrant lookups (getpwnam_r,
 * getpwuid_r, getgrnam_r).
 *
 * <p>Why not jnr-posix's getpwnam: it calls the non-reentrant function, whose static result
 * another thread may overwrite, reads the fields lazily from that shared buffer, and signals
 * "no such user" and "lookup failed" alike with a NULL whose errno glibc does not define. The
 * {@code _r} forms return their error number and leave the result in our own buffer, which is
 * copied out at once. Strings are read as ISO-8859-1 ({@link CStr}).
 *
 * <p>Layouts are glibc's on LP64 Linux: {@code struct passwd} is name, passwd, uid, gid, gecos,
 * dir, shell (48 bytes); {@code struct group} is name, passwd, gid, mem (32 bytes).
 *
 * <p>See also: getpwnam_r(3), getgrnam_r(3).
 */
final class PasswdDb {
    private static final int PW_SIZE = 48;
    private static final int GR_SIZE = 32;
    private static final long FIRST_BUF = 1024;
    /** A group with thousands of members needs a large buffer; beyond this we give up. */
    private static final long MAX_BUF = 1L << 24;

    private final Libc c;
    private final Runtime rt;
    /**
     * Per thread, an entry and a first-size buffer that every lookup fitting in them reuses:
     * direct memory allocated per call cost a finalizer registration and an munmap each time
     * (qmail-lspawn looks a user up for every delivery). A lookup copies its result out before
     * it returns, so the next one on the same thread may overwrite them.
     */
    private final ThreadLocal<Pointer[]> first;

    PasswdDb(Libc c, Runtime rt) {
        this.c = c;
        this.rt = rt;
        this.first = ThreadLocal.withInitial(() -> new Pointer[] {
            Memory.allocateDirect(rt, Math.max(PW_SIZE, GR_SIZE), true), Memory.allocateDirect(rt, FIRST_BUF)});
    }

    Posix.Passwd getpwnam(String name) throws IOException {
        byte[] n = CStr.of(name);
        return lookup("getpwnam " + name, PW_SIZE, (ent, buf, len, res) -> c.getpwnam_r(n, ent, buf, len, res),
                this::passwd);
    }

    Posix.Passwd getpwuid(int uid) throws IOException {
        return lookup("getpwuid " + uid, PW_SIZE, (ent, buf, len, res) -> c.getpwuid_r(uid, ent, buf, len, res),
                this::passwd);
    }

    Posix.Group getgrnam(String name) throws IOException {
        byte[] n = CStr.of(name);
        return lookup("getgrnam " + name, GR_SIZE, (ent, buf, len, res) -> c.getgrnam_r(n, ent, buf, len, res),
                this::group);
    }

    /** One {@code get*_r} call. */
    private interface Call {
        int call(Pointer ent, Pointer buf, long len, PointerByReference result);
    }

    /** Calls {@code f}, growing the buffer on ERANGE; null if there is no such entry. */
    private <T> T lookup(String what, int entSize, Call f, Function<Pointer, T> parse)
            throws IOException {
        for (long len = FIRST_BUF; ; len *= 2) {
            Pointer[] reused = len == FIRST_BUF ? first.get() : null;
            Pointer ent = reused != null ? reused[0] : Memory.allocateDirect(rt, entSize, true);
            Pointer buf = reused != null ? reused[1] : Memory.allocateDirect(rt, len);
            PointerByReference res = new PointerByReference();
            int err = f.call(ent, buf, len, res);
            if (err == Errors.ERANGE && len < MAX_BUF) {
                continue;
            }
            if (err != 0) {
                throw new ErrnoException(what, err);
            }
            Pointer p = res.getValue();
            T t = p == null || p.address() == 0 ? null : parse.apply(ent);
            java.lang.ref.Reference.reachabilityFence(buf);
            return t;
        }
    }

    private Posix.Passwd passwd(Pointer pw) {
        return new Posix.Passwd(str(pw, 0), pw.getInt(16), pw.getInt(20), str(pw, 32), str(pw, 40));
    }

    private Posix.Group group(Pointer gr) {
        List<String> members = new ArrayList<>();
        Pointer mem = gr.getPointer(24);
        for (long i = 0; mem != null; i += rt.addressSize()) {
            Pointer m = mem.getPointer(i);
            if (m == null || m.address() == 0) {
                break;
            }
            members.add(CStr.read(m));
        }
        return new Posix.Group(str(gr, 0), gr.getInt(16), List.copyOf(members));
    }

    private static String str(Pointer struct, long off) {
        return CStr.read(struct.getPointer(off));
    }
}
