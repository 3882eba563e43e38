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
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jqmail.control.QueueExit;
import org.jqmail.io.Acceptors;

/**
 * qmail-queued's socket and accept loop (doc/ARCHITECTURE.md §3): one thread per connection, at
 * most {@code limit} connections at once (a connection beyond that is answered 71, "temporarily
 * rejected", at once), each submission with a deadline after which it is answered 52. A
 * connection carries one submission ({@code QQ1}) or several ({@code QQ2}, the SMTP listener's
 * pooled connections, {@link Submission}); it keeps its thread and its place in the limit
 * while it waits between submissions, at most {@link #IDLE_NANOS}.
 *
 * <p>Synopsis: {@link #bind} creates the socket (removing a stale one left by a crash, refusing
 * to start if another server answers on it) with mode 0777 so every local user can submit, as
 * qmail-queue's mode 04711 allowed; {@link #serve} accepts forever.
 *
 * <p>Threads: the thread that accepts a connection runs its submission itself; before it does,
 * it makes sure another thread is waiting in {@code accept} (starting one if none is idle), so
 * no submission waits for a hand-over between threads. At most {@link #MAX_IDLE} threads wait
 * idle; the others end, but only once no thread has had to be started for
 * {@link Acceptors#LINGER_SECONDS} seconds. One daemon thread looks at the running
 * submissions' deadlines a few times per deadline (at least once a second) and answers 52 for
 * those past theirs.
 *
 * <p>qps: a submission that asks for qp 0 gets the next number of a counter that starts at the
 * server's own pid.
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

    private final Enqueue enqueue;
    private final Invokers invokers;
    private final PeerUid peer;
    private final Semaphore slots;
    private final long deadlineNanos;
    private final long tickMillis;
    private final long idleNanos;
    private final LongSupplier clock;
    private final AtomicLong qp;
    private final Acceptors acceptors = new Acceptors("submission", MAX_IDLE, this::another);
    private final Set<Submission.Timed> running = ConcurrentHashMap.newKeySet();
    private volatile ServerSocketChannel server;

    QueueServer(Enqueue enqueue, Invokers invokers, PeerUid peer, int limit, long deadlineSeconds, long firstQp) {
        this(enqueue, invokers, peer, limit, deadlineSeconds, firstQp, IDLE_NANOS, QueueServer::now);
    }

    /**
     * As the other constructor, with connections closed after {@code idleNanos} between
     * submissions and the Received lines' time (seconds) from {@code clock}.
     */
    QueueServer(Enqueue enqueue, Invokers invokers, PeerUid peer, int limit, long deadlineSeconds, long firstQp,
                long idleNanos, LongSupplier clock) {
        this.idleNanos = idleNanos;
        this.clock = clock;
        this.enqueue = enqueue;
        this.invokers = invokers;
        this.peer = peer;
        this.slots = new Semaphore(limit);
        this.deadlineNanos = deadlineSeconds * 1_000_000_000L;
        this.tickMillis = Math.max(10, Math.min(1000, Math.min(deadlineSeconds * 1000, idleNanos / 1_000_000) / 4));
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
     * An acceptor's loop: accept, make sure someone else accepts next, run the connection's
     * submissions, then accept again or end if enough threads are idle. Only the first thread ({@code
     * first}, the caller of {@link #serve}) returns an accept failure to its caller; the others
     * end with it.
     */
    private void accept(boolean first) throws IOException {
        for (;;) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException | RuntimeException e) {
                acceptors.leave();
                if (first) {
                    throw e;
                }
                return;
            }
            if (!slots.tryAcquire()) {
                Submission.refuse(ch, QueueExit.TEMP_REFUSED);
                continue;
            }
            if (!acceptors.took()) {
                slots.release();
                Submission.refuse(ch, QueueExit.NOMEM);
                continue;
            }
            try {
                new Submission(ch, enqueue, invokers, peer, this::nextQp, clock, running, deadlineNanos, idleNanos)
                        .run();
            } finally {
                slots.release();
            }
            if (!acceptors.again(first)) {
                return;
            }
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

    /**
     * Answers 52 for every running submission past its deadline and closes connections idle
     * between submissions for longer than their idle time, a few times per deadline (at
     * least once a second).
     */
    private void sweep() {
        for (;;) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Submission.Timed s : running) {
                if (now - s.deadline() >= 0) {
                    s.expire();
                }
            }
        }
    }

    private static long now() {
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
