package org.jqmail.io.nat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import jnr.ffi.Runtime;
import jnr.posix.CmsgHdr;
import jnr.posix.MsgHdr;
import jnr.posix.POSIX;
import org.jqmail.io.Errors;
import org.jqmail.io.Errors.ErrnoException;

/**
 * The Unix-domain socket calls of {@link Posix}: what the SMTP listener needs to take a
 * connection handed over by {@code bin/qmail-smtpd} (doc/HANDOFF.md). The JDK's Unix-domain
 * channels cannot pass descriptors and do not show their own, so the hand-off socket is made,
 * read and written here: socket, bind, listen, accept4 and poll
 * through {@link Libc}, recvmsg and sendmsg with their control messages through jnr-posix's
 * {@link MsgHdr}.
 *
 * <p>Failures: an {@link ErrnoException} with the call's errno. Thread-safe.
 *
 * <p>See also: unix(7), recvmsg(2), cmsg(3), poll(2).
 */
final class JnrSockets {
    private static final int SUN_PATH = Libc.SOCKADDR_UN_SIZE - 2;

    private final POSIX px;
    private final Libc c;
    private final Runtime rt;

    JnrSockets(POSIX px, Libc c, Runtime rt) {
        this.px = px;
        this.c = c;
        this.rt = rt;
    }

    private ErrnoException fail(String what) {
        return new ErrnoException(what, rt.getLastError());
    }

    /** {@code struct sockaddr_un} for {@code path}: the family in native order, then the NUL-terminated path. */
    private static byte[] sockaddr(String path) throws ErrnoException {
        byte[] p = CStr.of(path);
        if (p.length > SUN_PATH) {
            throw new ErrnoException("socket path too long: " + path, Errors.ENAMETOOLONG);
        }
        byte[] a = new byte[2 + p.length];
        ByteBuffer.wrap(a).order(ByteOrder.nativeOrder()).putShort((short) Libc.AF_UNIX);
        System.arraycopy(p, 0, a, 2, p.length);
        return a;
    }

    private int socket() throws ErrnoException {
        int s = c.socket(Libc.AF_UNIX, Libc.SOCK_SEQPACKET | Libc.SOCK_CLOEXEC, 0);
        if (s < 0) {
            throw fail("socket");
        }
        return s;
    }

    int listen(String path, int backlog) throws IOException {
        byte[] a = sockaddr(path);
        int s = socket();
        if (c.bind(s, a, a.length) < 0) {
            ErrnoException e = fail("bind " + path);
            c.close(s);
            throw e;
        }
        if (c.listen(s, backlog) < 0) {
            ErrnoException e = fail("listen " + path);
            c.close(s);
            throw e;
        }
        return s;
    }

    int connect(String path) throws IOException {
        byte[] a = sockaddr(path);
        int s = socket();
        while (c.connect(s, a, a.length) < 0) {
            if (rt.getLastError() != Errors.EINTR) {
                ErrnoException e = fail("connect " + path);
                c.close(s);
                throw e;
            }
        }
        return s;
    }

    int[] pair() throws IOException {
        int[] fds = new int[2];
        if (px.socketpair(Libc.AF_UNIX, Libc.SOCK_SEQPACKET | Libc.SOCK_CLOEXEC, 0, fds) < 0) {
            throw fail("socketpair");
        }
        return fds;
    }

    int accept(int fd) throws IOException {
        for (;;) {
            int s = c.accept4(fd, null, null, Libc.SOCK_CLOEXEC);
            if (s >= 0) {
                return s;
            }
            int e = rt.getLastError();
            if (e != Errors.EINTR && e != Errors.ECONNABORTED) {
                throw new ErrnoException("accept " + fd, e);
            }
        }
    }

    int poll(int fd, int events, int millis) throws IOException {
        byte[] pfd = new byte[8];
        ByteBuffer b = ByteBuffer.wrap(pfd).order(ByteOrder.nativeOrder());
        b.putInt(0, fd).putShort(4, (short) events);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(millis, 0));
        int wait = millis;
        for (;;) {
            int r = c.poll(pfd, 1, wait);
            if (r > 0) {
                return b.getShort(6) & 0xffff;
            }
            if (r == 0) {
                return 0;
            }
            if (rt.getLastError() != Errors.EINTR) {
                throw fail("poll " + fd);
            }
            if (millis >= 0) {
                wait = (int) Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            }
        }
    }

    void shutdown(int fd, int how) throws IOException {
        if (c.shutdown(fd, how) < 0) {
            throw fail("shutdown " + fd);
        }
    }

    Posix.Received recv(int fd, ByteBuffer buf, int maxFds) throws IOException {
        if (!buf.isDirect()) {
            throw new IllegalArgumentException("recvFds needs a direct buffer");
        }
        MsgHdr m = px.allocateMsgHdr();
        m.setIov(new ByteBuffer[] {buf.slice()});
        m.allocateControls(new int[] {4 * Math.max(maxFds, 1)});
        int n;
        while ((n = px.recvmsg(fd, m, Libc.MSG_CMSG_CLOEXEC)) < 0) {
            if (rt.getLastError() != Errors.EINTR) {
                throw fail("recvmsg " + fd);
            }
        }
        int[] fds = new int[0];
        for (CmsgHdr h : m.getControls()) {
            if (h.getLevel() != Libc.SOL_SOCKET || h.getType() != Libc.SCM_RIGHTS) {
                continue;
            }
            ByteBuffer d = h.getData().order(ByteOrder.nativeOrder());
            int k = fds.length;
            fds = Arrays.copyOf(fds, k + d.remaining() / 4);
            for (int i = k; i < fds.length; i++) {
                fds[i] = d.getInt();
            }
        }
        boolean truncated = (m.getFlags() & (Libc.MSG_TRUNC | Libc.MSG_CTRUNC)) != 0 || fds.length > maxFds;
        return new Posix.Received(n, fds, truncated);
    }

    int send(int fd, byte[] b, int off, int len, int[] fds) throws IOException {
        ByteBuffer data = ByteBuffer.allocateDirect(Math.max(len, 1));
        data.put(b, off, len).flip();
        MsgHdr m = px.allocateMsgHdr();
        m.setIov(new ByteBuffer[] {data});
        if (fds.length > 0) {
            CmsgHdr h = m.allocateControls(new int[] {4 * fds.length})[0];
            h.setLevel(Libc.SOL_SOCKET);
            h.setType(Libc.SCM_RIGHTS);
            ByteBuffer f = ByteBuffer.allocateDirect(4 * fds.length).order(ByteOrder.nativeOrder());
            for (int x : fds) {
                f.putInt(x);
            }
            f.flip();
            h.setData(f);
        }
        int n;
        while ((n = px.sendmsg(fd, m, Libc.MSG_NOSIGNAL)) < 0) {
            if (rt.getLastError() != Errors.EINTR) {
                throw fail("sendmsg " + fd);
            }
        }
        return n;
    }
}
