package org.jqmail.io;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Gives a daemon's grown Java heap back to the system. Under load a daemon's short-lived objects
 * (a session's buffers, which outlive a 2 MB young generation when fifty sessions run at once) are
 * promoted, and the Serial collector then grows the old generation instead of collecting it: the
 * listener's heap reached 200 MB of garbage after a load of 1,500 messages and kept those pages
 * after it. Once a second this thread looks at the heap's committed size; when it has grown since
 * the last look by {@link #GROWTH} or more, or has grown and then stopped growing (the load is
 * over), it asks for a full collection, which with the launchers' {@code -XX:-ShrinkHeapInSteps
 * -XX:MaxHeapFreeRatio} shrinks the old generation back to what is live and unmaps the rest
 * ({@code doc/PERFORMANCE.md} §6). A collection during a load leaves the heap as large as what
 * the load kept live, and garbage then fills it without growing it; so once the heap's use has
 * stayed within {@link #QUIET} for {@link #SETTLE_LOOKS} looks after a collection, after the
 * start, or after the number of threads has gone down (a load's idle threads ending, which
 * leaves their connections' objects as garbage), it is collected once more, and then not again
 * until the next growth or fall in threads. A heap that does not grow costs one look a second
 * and, after the start, that one collection.
 */
public final class HeapTrim {
    /** Growth of the committed heap since the last collection that is collected at once. */
    static final long GROWTH = 8L << 20;

    static final long PERIOD_MS = 1000;
    /** Looks in a row with the heap's use within {@link #QUIET} before the settling collection. */
    static final int SETTLE_LOOKS = 10;
    /** How much the heap's use may move between two looks that count as quiet. */
    static final long QUIET = 256L << 10;

    private final LongSupplier committed;
    private final LongSupplier used;
    private final IntSupplier threads;
    private final Runnable collect;
    private long floor;
    private long last;
    private long lastUsed;
    private int quiet;
    private int lastThreads;
    /** A settling collection is due once the heap is quiet. */
    private boolean settle = true;

    /**
     * {@code committed}: the heap's committed bytes; {@code used}: the bytes in use;
     * {@code threads}: the number of live threads; {@code collect}: a full collection.
     */
    HeapTrim(LongSupplier committed, LongSupplier used, IntSupplier threads, Runnable collect) {
        this.committed = committed;
        this.used = used;
        this.threads = threads;
        this.collect = collect;
        this.lastThreads = threads.getAsInt();
        this.floor = committed.getAsLong();
        this.last = floor;
        this.lastUsed = used.getAsLong();
    }

    /** Starts the daemon thread {@code heap-trim} for this JVM. */
    public static void start() {
        Runtime rt = Runtime.getRuntime();
        HeapTrim h = new HeapTrim(rt::totalMemory, () -> rt.totalMemory() - rt.freeMemory(), Thread::activeCount,
                System::gc);
        Thread t = new Thread(h::loop, "heap-trim");
        t.setDaemon(true);
        t.start();
    }

    private void loop() {
        for (;;) {
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            look();
        }
    }

    /** One look: true if it collected. */
    boolean look() {
        long total = committed.getAsLong();
        long use = used.getAsLong();
        quiet = Math.abs(use - lastUsed) < QUIET ? quiet + 1 : 0;
        lastUsed = use;
        int t = threads.getAsInt();
        settle |= t < lastThreads;
        lastThreads = t;
        floor = Math.min(floor, total);
        boolean grown = total > floor;
        boolean due = total - floor >= GROWTH || grown && total == last;
        last = total;
        if (due) {
            settle = true;
        } else if (!settle || quiet < SETTLE_LOOKS) {
            return false;
        } else {
            settle = false;
        }
        collect.run();
        floor = committed.getAsLong();
        last = floor;
        lastUsed = used.getAsLong();
        quiet = 0;
        return true;
    }
}
