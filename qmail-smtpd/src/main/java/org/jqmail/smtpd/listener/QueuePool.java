package org.jqmail.smtpd.listener;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import org.jqmail.control.QueueClient;
import org.jqmail.control.QueueConnections;

/**
 * The SMTP listener's connections to qmail-queued, kept open between submissions
 * ({@code QQ2}, {@link QueueConnections}): saves the connect, the server's accept and its
 * look-up of the peer's credentials per message.
 *
 * <p>{@link #open} takes the most recently used idle connection (LIFO) and writes the
 * submission's header to it, which is the check that the server is still there: on a
 * Unix-domain socket a write to a connection whose peer has closed (a restarted
 * qmail-queued, say) fails at once with EPIPE, so nothing reached any server, and the
 * connection is closed and the next one tried; without one a new connection is made. A
 * stale connection so never costs a message, and the check costs no system call of its
 * own (a non-blocking read would cost five: two fcntl each way and the read). Once the
 * header is out, failures are reported as for a one-shot connection and never retried. A
 * connection comes back only after an answer 0 to a submission sent whole. At most
 * {@code maxIdle} connections are kept (more are closed) and none longer than
 * {@code idleNanos}: a daemon thread closes older ones, so a quiet process soon holds nothing
 * open. The server's own idle limit (a minute) is far longer, so it does not close a
 * connection while the client is about to use it.
 *
 * <p>Thread-safe.
 */
public final class QueuePool implements QueueConnections, AutoCloseable {
    /** Idle connections kept at most. */
    public static final int MAX_IDLE = 8;
    /** How long an idle connection is kept. */
    public static final long IDLE_NANOS = 5_000_000_000L;

    private final Path socket;
    private final int maxIdle;
    private final long idleNanos;
    /** Idle connections, the most recently used first. */
    private final java.util.ArrayDeque<Idle> idle = new java.util.ArrayDeque<>();
    private boolean reaping;
    private boolean closed;

    private record Idle(SocketChannel ch, long since) {
    }

    public QueuePool(Path socket) {
        this(socket, MAX_IDLE, IDLE_NANOS);
    }

    public QueuePool(Path socket, int maxIdle, long idleNanos) {
        this.socket = socket;
        this.maxIdle = maxIdle;
        this.idleNanos = idleNanos;
    }

    /** Starts a submission that the server numbers (qp 0). */
    public QueueClient open() throws IOException {
        return QueueClient.open(this);
    }

    @Override
    public Path socket() {
        return socket;
    }

    /** How many idle connections are kept now (for tests). */
    public synchronized int idle() {
        return idle.size();
    }

    /** The most recently used idle connection not kept too long, or null. */
    @Override
    public SocketChannel take() {
        for (;;) {
            Idle i;
            synchronized (this) {
                i = idle.pollFirst();
            }
            if (i == null) {
                return null;
            }
            if (System.nanoTime() - i.since() >= idleNanos) {
                close(i.ch());
                continue;
            }
            return i.ch();
        }
    }

    /** Keeps {@code ch} for the next submission, or closes it if enough are kept. */
    @Override
    public void release(SocketChannel ch) {
        synchronized (this) {
            if (!closed && idle.size() < maxIdle) {
                if (idle.isEmpty()) {
                    // Wakes the reaper only if it waits for a first idle connection.
                    notifyAll();
                }
                idle.addFirst(new Idle(ch, System.nanoTime()));
                if (!reaping) {
                    reaping = startReaper();
                }
                return;
            }
        }
        close(ch);
    }

    private boolean startReaper() {
        try {
            Thread t = new Thread(this::reap, "queue-pool");
            t.setDaemon(true);
            t.start();
            return true;
        } catch (RuntimeException | OutOfMemoryError e) {
            // Then idle connections are closed only when open finds them too old.
            return false;
        }
    }

    /**
     * Closes connections idle for longer than idleNanos, checking twice per idleNanos while
     * any are kept (and sleeping without a timeout while none are).
     */
    private void reap() {
        long tick = Math.max(1, idleNanos / 2_000_000);
        for (;;) {
            List<SocketChannel> old = new java.util.ArrayList<>();
            try {
                synchronized (this) {
                    while (idle.isEmpty() && !closed) {
                        wait();
                    }
                }
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                synchronized (this) {
                    reaping = false;
                }
                return;
            }
            synchronized (this) {
                if (closed) {
                    return;
                }
                long now = System.nanoTime();
                Idle i;
                while ((i = idle.peekLast()) != null && now - i.since() >= idleNanos) {
                    old.add(idle.pollLast().ch());
                }
            }
            for (SocketChannel ch : old) {
                close(ch);
            }
        }
    }

    /** Closes every idle connection; later releases close theirs at once. */
    @Override
    public void close() {
        List<Idle> all;
        synchronized (this) {
            closed = true;
            all = new java.util.ArrayList<>(idle);
            idle.clear();
            notifyAll();
        }
        for (Idle i : all) {
            close(i.ch());
        }
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Nothing more to say to the server.
        }
    }
}
