package org.jqmail.io;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The threads of a server whose accepting thread runs the connection it accepts itself
 * (qmail-queued, qmail-smtpd-listener): so that the connection never waits for a hand-over,
 * each acceptor that takes a connection first makes sure another thread waits in accept,
 * starting one if none is idle; after its connection it accepts again, or ends when
 * {@code maxIdle} threads are idle already and no thread has had to be started for
 * {@link #LINGER_SECONDS} seconds. The thread that calls {@link #enter} first (the server's
 * own) never ends this way.
 *
 * <p>The linger is there because a steady load of n concurrent connections keeps the idle
 * count swinging around any fixed bound: without it, a thread ended at one moment had to be
 * started again the next (measured: a thread start and end per six submissions in qmail-queued
 * at ten concurrent SMTP clients). Threads waiting in accept cost no CPU; their number stays
 * within the server's own concurrency limit.
 *
 * <p>Each acceptor's loop: {@link #enter} once, then per connection {@link #took} (and
 * refuse the connection if it says false), the work, and {@link #again}; an acceptor that
 * ends without a connection calls {@link #leave}. Thread-safe.
 *
 * <p>A load leaves threads waiting in accept: those that finished their connection within
 * the linger went back to it. So that they end once the load is over, an idle acceptor asks
 * {@link #retire} every so often. A server whose accept can time out (a {@code ServerSocket}
 * with SO_TIMEOUT) asks after each timeout; one whose accept cannot (a
 * {@code ServerSocketChannel}, accept(2) through jnr) takes turns: {@link #turn} lets one
 * acceptor at a time into accept, and the others wait for their turn at most
 * {@link #TURN_WAIT_MS} at a time, asking in between. (The JDK's channel lets one thread at a
 * time into accept anyway, behind a lock that cannot time out.)
 */
public final class Acceptors {
    /** How long after a thread had to be started no finishing acceptor ends. */
    public static final long LINGER_SECONDS = 30;
    /**
     * How long an idle acceptor waits for its {@link #turn}, or in a timed accept, before it
     * asks {@link #retire}.
     */
    public static final long TURN_WAIT_MS = 10_000;

    private final String name;
    private final int maxIdle;
    private final Runnable loop;
    private final LongSupplier nanoClock;
    private final long turnWaitMs;
    /** Held by the acceptor in accept ({@link #turn}). */
    private final Semaphore turn = new Semaphore(1);
    /** Threads waiting in (or about to call) accept. */
    private final AtomicInteger idle = new AtomicInteger();
    /** When a thread was last started (nanoClock), so that none ends soon after. */
    private volatile long lastStart;

    /**
     * @param name    the name of the threads started
     * @param maxIdle how many threads may wait idle before a finishing one ends
     * @param loop    what a started thread runs: an acceptor's loop without {@link #enter} (a
     *                started thread counts as idle from before its start)
     */
    public Acceptors(String name, int maxIdle, Runnable loop) {
        this(name, maxIdle, loop, System::nanoTime, TURN_WAIT_MS);
    }

    /** As above, with the clock for the linger and the turn's wait (tests). */
    Acceptors(String name, int maxIdle, Runnable loop, LongSupplier nanoClock, long turnWaitMs) {
        this.name = name;
        this.turnWaitMs = turnWaitMs;
        this.maxIdle = maxIdle;
        this.loop = loop;
        this.nanoClock = nanoClock;
        this.lastStart = nanoClock.getAsLong() - TimeUnit.SECONDS.toNanos(LINGER_SECONDS);
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
        lastStart = nanoClock.getAsLong();
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
     * The calling idle acceptor waited in accept for a while and got nothing (an accept
     * timeout): true if it should end now, and then it no longer counts as idle, because more
     * than {@code maxIdle} threads are idle and none had to be started in the last
     * {@link #LINGER_SECONDS} seconds; false if it should go on waiting. So the threads a burst
     * of connections left waiting in accept end once it is over. The first acceptor
     * ({@code first}) never ends.
     */
    public boolean retire(boolean first) {
        if (first || nanoClock.getAsLong() - lastStart < TimeUnit.SECONDS.toNanos(LINGER_SECONDS)) {
            return false;
        }
        for (;;) {
            int i = idle.get();
            if (i <= maxIdle) {
                return false;
            }
            if (idle.compareAndSet(i, i - 1)) {
                return true;
            }
        }
    }

    /**
     * Waits until no other acceptor is in accept, then returns true: the caller accepts and
     * then calls {@link #passTurn}, whether accept succeeded or not. Every
     * {@link #TURN_WAIT_MS} of waiting it asks {@link #retire}, and returns false when the
     * caller is to end (it no longer counts as idle then). The first acceptor ({@code first})
     * waits for as long as it takes.
     */
    public boolean turn(boolean first) {
        for (;;) {
            try {
                if (turn.tryAcquire(turnWaitMs, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            } catch (InterruptedException e) {
                // Nothing interrupts acceptors; wait on.
            }
            if (retire(first)) {
                return false;
            }
        }
    }

    /** The acceptor whose {@link #turn} it was is out of accept: the next may go in. */
    public void passTurn() {
        turn.release();
    }

    /**
     * The calling acceptor finished its connection: true if it should accept again (it counts
     * as idle once more), false if it should end because {@code maxIdle} threads are idle
     * already and none had to be started in the last {@link #LINGER_SECONDS} seconds. The
     * first acceptor ({@code first}) always goes on.
     */
    public boolean again(boolean first) {
        if (!first && idle.get() >= maxIdle
                && nanoClock.getAsLong() - lastStart >= TimeUnit.SECONDS.toNanos(LINGER_SECONDS)) {
            return false;
        }
        idle.incrementAndGet();
        return true;
    }
}
