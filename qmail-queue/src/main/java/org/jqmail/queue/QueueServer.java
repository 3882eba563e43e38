package org.jqmail.queue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jqmail.control.QueueExit;
import org.jqmail.io.Acceptors;

/**
 * qmail-queued's socket and accept loop ({@code doc/PROTOCOLS.md} §2, {@code doc/SECURITY.md} §1): one thread
 * per connection, at most as many connections per submitting uid as {@link Admission} allows;
 * a connection beyond that is answered 71 ("mail server temporarily rejected message") at
 * once and closed, never kept waiting behind others. A connection carries one submission
 * ({@code QQ1}) or several ({@code QQ2}, the SMTP listener's pooled connections,
 * {@link Submission}); it keeps its thread and its place while it waits between
 * submissions, at most the idle time.
 *
 * <p>Synopsis: {@link #bind} creates the socket (removing a stale one left by a crash, refusing
 * to start if another server answers on it) with mode 0777 so every local user can submit, as
 * qmail-queue's mode 04711 allowed; {@link #serve} accepts forever.
 *
 * <p>Threads: the thread that accepts a connection asks the kernel who the peer is, admits or
 * refuses it (neither waits for the client), and then runs the submission itself; before it
 * does, it makes sure another thread is waiting in {@code accept} (starting one if none is
 * idle), so no submission waits for a hand-over between threads and no client can hold the
 * thread that accepts. At most {@link #MAX_IDLE} threads wait idle; the others end, but only
 * once no thread has had to be started for {@link Acceptors#LINGER_SECONDS} seconds: when
 * they finish a connection, or while they wait for their turn to accept
 * ({@link Acceptors#turn}), so that those a load left waiting end after it. One
 * daemon thread looks at the connections' deadlines a few times per shortest deadline (at
 * least once a second) and acts on those past theirs without ever blocking.
 *
 * <p>qps: see {@link Submission}; the server's own numbers come from a counter that starts at
 * the server's pid.
 */
final class QueueServer {
    /** Threads kept waiting in accept when there is no work. */
    static final int MAX_IDLE = 4;
    /**
     * How long a connection may wait for its next submission ({@code QQ2}) before it is closed:
     * well beyond the time a client keeps an idle connection ({@code QueueClient.Pool}), so that
     * a client never sends into a connection the server is closing for idleness.
     */
    static final long IDLE_NANOS = 60_000_000_000L;
    /** How long a client may leave an answer unread before its connection is closed. */
    static final long GRACE_NANOS = 10_000_000_000L;

    private final Enqueue enqueue;
    private final Invokers invokers;
    private final PeerCred peer;
    private final Admission admission;
    private final Submission.Deadlines deadlines;
    private final long tickMillis;
    private final LongSupplier clock;
    private final AtomicLong qp;
    private final Acceptors acceptors = new Acceptors("submission", MAX_IDLE, this::another);
    private final Set<Submission.Timed> running = ConcurrentHashMap.newKeySet();
    private volatile ServerSocketChannel server;

    /**
     * @param admission how many connections each uid may hold
     * @param deadlines the connections' time limits
     * @param firstQp   the server's first own qp number (its pid)
     * @param clock     the Received lines' time, in seconds
     */
    QueueServer(Enqueue enqueue, Invokers invokers, PeerCred peer, Admission admission,
                Submission.Deadlines deadlines, long firstQp, LongSupplier clock) {
        this.enqueue = enqueue;
        this.invokers = invokers;
        this.peer = peer;
        this.admission = admission;
        this.deadlines = deadlines;
        this.clock = clock;
        long shortest = Math.min(Math.min(deadlines.start(), deadlines.idle()), Math.min(deadlines.total(),
                deadlines.grace()));
        if (deadlines.stall() > 0) {
            shortest = Math.min(shortest, deadlines.stall());
        }
        this.tickMillis = Math.max(10, Math.min(1000, shortest / 4_000_000));
        this.qp = new AtomicLong(firstQp);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Binds the Unix-domain socket at {@code socket}, replacing a stale one. */
    static ServerSocketChannel bind(Path socket) throws IOException {
        Path dir = socket.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        if (Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                probe.connect(UnixDomainSocketAddress.of(socket));
                throw new IOException("another qmail-queued is answering on " + socket);
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("another qmail-queued")) {
                    throw e;
                }
                Files.deleteIfExists(socket);
            }
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket), 128);
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwxrwx"));
        return server;
    }

    /** Accepts submissions until the channel fails; the calling thread is the first acceptor. */
    void serve(ServerSocketChannel server) throws IOException {
        this.server = server;
        daemon(this::sweep, "deadline").start();
        acceptors.enter();
        accept(true);
    }

    /**
     * An acceptor's loop: accept, learn the peer, admit or refuse at once, make sure someone
     * else accepts next, run the connection's submissions, then accept again or end if enough
     * threads are idle. Only the first thread ({@code first}, the caller of {@link #serve})
     * returns when the socket is closed; a failing accept (no descriptors left, say) is tried
     * again after a pause, since a client's own connections could cause it.
     */
    private void accept(boolean first) throws IOException {
        for (;;) {
            if (!acceptors.turn(first)) {
                return;
            }
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException | RuntimeException e) {
                acceptors.passTurn();
                if (!server.isOpen()) {
                    acceptors.leave();
                    if (first) {
                        throw e;
                    }
                    return;
                }
                pause();
                continue;
            }
            acceptors.passTurn();
            PeerCred.Cred cred;
            try {
                cred = peer.of(ch);
            } catch (PeerCred.Unknown e) {
                Submission.refuse(ch, QueueExit.BUG);
                continue;
            } catch (IOException e) {
                Submission.refuse(ch, QueueExit.READ);
                continue;
            }
            if (!admission.enter(cred.uid())) {
                Submission.refuse(ch, QueueExit.TEMP_REFUSED);
                continue;
            }
            if (!acceptors.took()) {
                admission.leave(cred.uid());
                Submission.refuse(ch, QueueExit.NOMEM);
                continue;
            }
            try {
                new Submission(ch, enqueue, invokers, cred, admission.trusted(cred.uid()), this::nextQp, clock,
                        running, deadlines).run();
            } finally {
                admission.leave(cred.uid());
            }
            if (!acceptors.again(first)) {
                return;
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            // Nothing interrupts acceptors; an interrupted accept would close the socket.
        }
    }

    /** A started acceptor's loop. */
    private void another() {
        try {
            accept(false);
        } catch (IOException e) {
            // Not thrown for a non-first acceptor.
        }
    }

    /** Acts on every connection past a deadline, every tick; never blocks on a connection. */
    private void sweep() {
        for (;;) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Submission.Timed s : running) {
                if (s.due(now)) {
                    s.expire(now);
                }
            }
        }
    }

    /** The Received lines' clock: seconds since the epoch. */
    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** The next server-assigned qp: never 0, kept within the protocol's 32 bits. */
    private long nextQp() {
        for (;;) {
            long q = qp.getAndIncrement() & 0xffffffffL;
            if (q != 0) {
                return q;
            }
        }
    }
}
