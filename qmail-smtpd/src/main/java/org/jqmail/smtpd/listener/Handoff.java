package org.jqmail.smtpd.listener;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.jqmail.control.Auto;
import org.jqmail.io.Acceptors;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;
import org.jqmail.io.PolledFds;
import org.jqmail.io.nat.Posix;
import org.jqmail.smtpd.Conn;

/**
 * The listener's hand-off socket: takes the SMTP connections that {@code bin/qmail-smtpd},
 * started per connection by tcpserver, hands over (doc/HANDOFF.md), and runs each as one of
 * the listener's sessions, with the environment and the exit status it would have had as a
 * qmail-smtpd process.
 *
 * <p>Synopsis: {@link #open} after the listener has switched to its -u/-g identity, then
 * {@link #serve} on the calling thread or {@link #start} on a thread of its own. The socket
 * is {@value #SOCKET} under QMAILHOME, {@code SOCK_SEQPACKET}. Per connection: the sender
 * sends one {@link HandoffRecord} with its fds 0 and 1 as SCM_RIGHTS; the listener answers
 * {@link #TAKEN} once a session slot is free (the session counts against {@code -c} like a
 * TCP connection), runs the session on the descriptors, closes them, and sends the session's
 * exit status as one byte. Before that answer the descriptors are left untouched, so a
 * sender that gets no answer can still serve the connection itself.
 *
 * <p>Security: the directory holding the socket must belong to root, qmaild or this process's
 * user and be closed to everyone else, or no socket is opened; and the peer's uid as the
 * kernel gives it (SO_PEERCRED) must be root's, qmaild's or this process's own, or the
 * hand-off is refused unread, with {@code warning: refused hand-off from uid U pid P} on
 * stderr: anyone else could otherwise hand over a connection with a forged RELAYCLIENT and
 * relay through this host. The record and the descriptors come with no trust beyond that.
 *
 * <p>Failures: a malformed record, or one that does not arrive within
 * {@link #RECORD_WAIT_MS}, is refused with a warning; the sender then runs the JVM
 * qmail-smtpd itself.
 */
final class Handoff {
    /** The socket, relative to QMAILHOME. */
    static final String SOCKET = "sock/smtpd/handoff";
    /** The answer that the connection has been taken. */
    static final byte TAKEN = 'K';
    /** How long a connected sender may take to send its record. */
    static final int RECORD_WAIT_MS = 10_000;
    /** Receive buffers kept for reuse. */
    private static final int SPARE_BUFFERS = 4;

    private final Posix px;
    private final Listener listener;
    private final int fd;
    private final int[] allowed;
    private final Acceptors acceptors;
    private final Deque<ByteBuffer> buffers = new ConcurrentLinkedDeque<>();

    private Handoff(Posix px, Listener listener, int fd, int[] allowed) {
        this.px = px;
        this.listener = listener;
        this.fd = fd;
        this.allowed = allowed;
        this.acceptors = new Acceptors("smtpd-handoff", Listener.MAX_IDLE, () -> accept(false));
    }

    /**
     * Opens the socket of {@code auto}'s home, replacing a stale one; throws when its
     * directory is missing or open to others, or another listener serves the socket.
     */
    static Handoff open(Posix px, Auto auto, Listener listener, int backlog) throws IOException {
        Path path = auto.home().resolve(SOCKET);
        Path dir = path.getParent();
        int qmaild = uid(px, auto.user(Auto.QMAILD));
        int[] allowed = {0, px.geteuid(), qmaild};
        Posix.Stat st = px.stat(dir.toString());
        if (!st.isDirectory() || !owner(allowed, st.uid()) || (st.mode() & 077) != 0) {
            throw new IOException(dir + " must belong to root or " + auto.user(Auto.QMAILD)
                    + " and be closed to others (mode 0700)");
        }
        String p = path.toString();
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try {
                px.close(px.connectSeqpacket(p));
                throw new IOException(p + " is served by another listener");
            } catch (Errors.ErrnoException e) {
                if (e.errno() != Errors.ECONNREFUSED) {
                    throw e;
                }
                Files.delete(path);
            }
        }
        int fd = px.listenSeqpacket(p, backlog);
        // Whoever reaches the directory may connect; the peer check decides the rest.
        px.chmod(p, 0777);
        return new Handoff(px, listener, fd, allowed);
    }

    private static int uid(Posix px, String user) throws IOException {
        Posix.Passwd pw = px.getpwnam(user);
        return pw == null ? 0 : pw.uid();
    }

    private static boolean owner(int[] allowed, long uid) {
        for (int a : allowed) {
            if (a == uid) {
                return true;
            }
        }
        return false;
    }

    /** Takes hand-offs on the calling thread, forever. */
    void serve() {
        acceptors.enter();
        accept(true);
    }

    /** Takes hand-offs on threads of their own. */
    void start() {
        Thread t = new Thread(this::serve, "smtpd-handoff");
        t.setDaemon(true);
        t.start();
    }

    private void accept(boolean first) {
        for (;;) {
            if (!acceptors.turn(first)) {
                return;
            }
            int s;
            try {
                s = px.accept(fd);
            } catch (IOException e) {
                acceptors.passTurn();
                listener.log(1, "warning: unable to accept a hand-off: " + e.getMessage());
                pause();
                continue;
            }
            acceptors.passTurn();
            if (!acceptors.took()) {
                close(s);
                continue;
            }
            serve(s);
            if (!acceptors.again(first)) {
                return;
            }
        }
    }

    /** After a failed accept (out of descriptors, say): not a busy loop. */
    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serve(int s) {
        int[] fds = new int[0];
        try {
            long[] cred = px.peerCred(s);
            long pid = cred[0];
            if (!owner(allowed, cred[1])) {
                listener.log(1, "warning: refused hand-off from uid " + cred[1] + " pid " + pid);
                return;
            }
            HandoffRecord rec;
            ByteBuffer buf = buffer();
            try {
                if (px.poll(s, Posix.POLLIN, RECORD_WAIT_MS) == 0) {
                    listener.log(1, "warning: no hand-off record from pid " + pid);
                    return;
                }
                Posix.Received r = px.recvFds(s, buf, 2);
                fds = r.fds();
                if (r.length() == 0 && fds.length == 0) {
                    return; // a listener checking whether the socket is served
                }
                if (r.truncated() || fds.length != 2) {
                    listener.log(1, "warning: refused hand-off from pid " + pid + ": "
                            + (r.truncated() ? "record too large" : fds.length + " descriptors"));
                    return;
                }
                byte[] b = new byte[r.length()];
                buf.get(0, b);
                rec = HandoffRecord.parse(b, b.length);
            } finally {
                if (buffers.size() < SPARE_BUFFERS) {
                    buffers.offerFirst(buf);
                }
            }
            Taken t = new Taken(s, fds[0], fds[1]);
            fds = new int[0];
            int code;
            try {
                code = listener.handedOff(rec.argv(), rec.env(), t);
            } finally {
                t.close();
            }
            if (t.conn != null) {
                reply(s, (byte) code);
            }
        } catch (HandoffRecord.Bad e) {
            listener.log(1, "warning: refused hand-off: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            listener.log(1, "warning: dropping hand-off: " + e.getMessage());
        } finally {
            for (int f : fds) {
                close(f);
            }
            close(s);
        }
    }

    /**
     * A receive buffer: a spare one, or a new one (64 KB of native memory); at most
     * {@link #SPARE_BUFFERS} are kept after a peak of simultaneous receives.
     */
    private ByteBuffer buffer() {
        ByteBuffer b = buffers.pollFirst();
        return b != null ? b : ByteBuffer.allocateDirect(HandoffRecord.RECORD_MAX);
    }

    private void reply(int s, byte b) throws IOException {
        px.sendFds(s, new byte[] {b}, 0, 1, new int[0]);
    }

    private void close(int f) {
        try {
            px.close(f);
        } catch (IOException e) {
            // Gone either way.
        }
    }

    /** A received connection: taken (answered and opened) when its session starts. */
    private final class Taken implements Listener.Taker {
        private final int s;
        private final int in;
        private final int out;
        private PolledFds conn;

        Taken(int s, int in, int out) {
            this.s = s;
            this.in = in;
            this.out = out;
        }

        /** Answers {@link #TAKEN}, then opens the descriptors; nothing touches them before. */
        private PolledFds open() throws IOException {
            reply(s, TAKEN);
            conn = new PolledFds(px, in, out);
            // qmail-smtpd's default until the session has read timeoutsmtpd.
            conn.timeout(1200);
            return conn;
        }

        @Override
        public Conn take() throws IOException {
            PolledFds c = open();
            return new Conn(c.in(), c.out(), c::timeout, null, null);
        }

        @Override
        public void refuse(String line) throws IOException {
            open().out().write(Bytes.ascii(line + "\r\n"));
        }

        void close() {
            if (conn != null) {
                conn.close();
            } else {
                Handoff.this.close(in);
                Handoff.this.close(out);
            }
        }
    }
}
