package org.jqmail.queue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jqmail.control.QueueExit;

/**
 * qmail-queued's socket and accept loop (DESIGN.md §3): one thread per submission, at most
 * {@code limit} at once (a connection beyond that is answered 71, "temporarily rejected",
 * at once), each with a deadline after which it is answered 52.
 *
 * <p>Synopsis: {@link #bind} creates the socket (removing a stale one left by a crash, refusing
 * to start if another server answers on it) with mode 0777 so every local user can submit, as
 * qmail-queue's mode 04711 allowed; {@link #serve} accepts forever.
 *
 * <p>qps: a submission that asks for qp 0 gets the next number of a counter that starts at the
 * server's own pid.
 */
final class QueueServer {
    private final Enqueue enqueue;
    private final Invokers invokers;
    private final PeerUid peer;
    private final Semaphore slots;
    private final long deadlineSeconds;
    private final AtomicLong qp;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> daemon(r, "submission"));
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "deadline"));

    QueueServer(Enqueue enqueue, Invokers invokers, PeerUid peer, int limit, long deadlineSeconds, long firstQp) {
        this.enqueue = enqueue;
        this.invokers = invokers;
        this.peer = peer;
        this.slots = new Semaphore(limit);
        this.deadlineSeconds = deadlineSeconds;
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

    /** Accepts submissions until the channel fails. */
    void serve(ServerSocketChannel server) throws IOException {
        for (;;) {
            SocketChannel ch = server.accept();
            if (!slots.tryAcquire()) {
                Submission.refuse(ch, QueueExit.TEMP_REFUSED);
                continue;
            }
            Submission s = new Submission(ch, enqueue, invokers, peer, this::nextQp,
                    () -> System.currentTimeMillis() / 1000);
            try {
                workers.execute(() -> run(s));
            } catch (RuntimeException e) {
                slots.release();
                Submission.refuse(ch, QueueExit.NOMEM);
            }
        }
    }

    private void run(Submission s) {
        ScheduledFuture<?> f = timer.schedule(s::expire, deadlineSeconds, TimeUnit.SECONDS);
        try {
            s.run();
        } finally {
            f.cancel(false);
            slots.release();
        }
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
