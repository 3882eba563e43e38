package org.jqmail.io;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of a server whose accepting thread runs the connection it accepts itself
 * (qmail-queued, qmail-smtpd-listener): so that the connection never waits for a hand-over,
 * each acceptor that takes a connection first makes sure another thread waits in accept,
 * starting one if none is idle; after its connection it accepts again, or ends when
 * {@code maxIdle} threads are idle already. The thread that calls {@link #enter} first (the
 * server's own) never ends this way.
 *
 * <p>Each acceptor's loop: {@link #enter} once, then per connection {@link #took} (and
 * refuse the connection if it says false), the work, and {@link #again}; an acceptor that
 * ends without a connection calls {@link #leave}. Thread-safe.
 */
public final class Acceptors {
    private final String name;
    private final int maxIdle;
    private final Runnable loop;
    /** Threads waiting in (or about to call) accept. */
    private final AtomicInteger idle = new AtomicInteger();

    /**
     * @param name    the name of the threads started
     * @param maxIdle how many threads may wait idle before a finishing one ends
     * @param loop    what a started thread runs: an acceptor's loop without {@link #enter} (a
     *                started thread counts as idle from before its start)
     */
    public Acceptors(String name, int maxIdle, Runnable loop) {
        this.name = name;
        this.maxIdle = maxIdle;
        this.loop = loop;
    }

    /** The calling thread becomes an acceptor (the server's first). */
    public void enter() {
        idle.incrementAndGet();
    }

    /** The calling acceptor ends without a connection (its accept failed). */
    public void leave() {
        idle.decrementAndGet();
    }

    /**
     * The calling acceptor took a connection: if no other thread is left waiting in accept,
     * starts one. False if none could be started; the caller then refuses the connection and
     * stays an idle acceptor.
     */
    public boolean took() {
        if (idle.decrementAndGet() > 0) {
            return true;
        }
        idle.incrementAndGet(); // the thread about to start counts as idle from now
        try {
            Thread t = new Thread(loop, name);
            t.setDaemon(true);
            t.start();
            return true;
        } catch (RuntimeException | OutOfMemoryError e) {
            // No thread: the caller stays the idle acceptor, which the count already says.
            return false;
        }
    }

    /**
     * The calling acceptor finished its connection: true if it should accept again (it counts
     * as idle once more), false if it should end because {@code maxIdle} threads are idle
     * already. The first acceptor ({@code first}) always goes on.
     */
    public boolean again(boolean first) {
        if (!first && idle.get() >= maxIdle) {
            return false;
        }
        idle.incrementAndGet();
        return true;
    }
}
