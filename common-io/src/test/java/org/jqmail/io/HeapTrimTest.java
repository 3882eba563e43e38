package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapTrimTest {
    private static final long MB = 1L << 20;

    /** A heap whose committed size the test sets; a collection shrinks it to {@code live}. */
    private static final class Heap {
        long committed = 16 * MB;
        long live = 16 * MB;
        long used = 16 * MB;
        int threads = 10;
        int collections;

        void collect() {
            collections++;
            committed = live;
            used = live;
        }

        HeapTrim trim() {
            return new HeapTrim(() -> committed, () -> used, () -> threads, this::collect);
        }
    }

    @Test
    void aHeapThatDoesNotGrowIsCollectedOnceWhenQuietAfterTheStartAndThenNever() {
        Heap h = new Heap();
        HeapTrim t = h.trim();
        for (int i = 1; i < HeapTrim.SETTLE_LOOKS; i++) {
            assertFalse(t.look());
        }
        assertTrue(t.look(), "quiet for SETTLE_LOOKS looks: the settling collection");
        for (int i = 0; i < 3 * HeapTrim.SETTLE_LOOKS; i++) {
            assertFalse(t.look());
        }
        assertEquals(1, h.collections);
    }

    @Test
    void garbageLeftInTheHeapAfterALoadIsCollectedOnceTheUseIsQuiet() {
        Heap h = new Heap();
        HeapTrim t = h.trim();
        h.live = 30 * MB; // a load: much live, the heap grows past the limit
        h.committed = 16 * MB + HeapTrim.GROWTH;
        h.used = h.committed;
        assertTrue(t.look());
        assertEquals(30 * MB, h.committed);
        h.live = 4 * MB; // the load is over; its garbage stays in the heap, which does not grow
        for (int i = 0; i < 5; i++) {
            h.used += HeapTrim.QUIET; // still allocating: not quiet
            assertFalse(t.look());
        }
        for (int i = 1; i < HeapTrim.SETTLE_LOOKS; i++) {
            assertFalse(t.look());
        }
        assertTrue(t.look(), "quiet: collected once more");
        assertEquals(4 * MB, h.committed);
        for (int i = 0; i < 3 * HeapTrim.SETTLE_LOOKS; i++) {
            assertFalse(t.look());
        }
        assertEquals(2, h.collections);
    }

    @Test
    void aHeapStillGrowingIsCollectedOnceItHasGrownByTheLimit() {
        Heap h = new Heap();
        HeapTrim t = h.trim();
        h.committed += 2 * MB;
        assertFalse(t.look());
        h.committed += 2 * MB;
        assertFalse(t.look());
        h.committed += HeapTrim.GROWTH - 4 * MB;
        assertTrue(t.look());
        assertEquals(16 * MB, h.committed);
        assertEquals(1, h.collections);
    }

    @Test
    void aHeapThatGrewAndStoppedIsCollectedOnceAndThenLeftAlone() {
        Heap h = new Heap();
        HeapTrim t = h.trim();
        h.live = 18 * MB;
        h.committed = 19 * MB;
        assertFalse(t.look());
        assertTrue(t.look());
        assertEquals(18 * MB, h.committed);
        for (int i = 0; i < 5; i++) {
            assertFalse(t.look());
        }
        assertEquals(1, h.collections);
    }

    @Test
    void fewerThreadsArmAnotherCollectionOnceTheUseIsQuiet() {
        Heap h = new Heap();
        HeapTrim t = h.trim();
        for (int i = 1; i < HeapTrim.SETTLE_LOOKS; i++) {
            assertFalse(t.look());
        }
        assertTrue(t.look(), "the settling collection after the start");
        h.threads = 5; // a load's idle threads ended: what they held is garbage now
        for (int i = 1; i < HeapTrim.SETTLE_LOOKS; i++) {
            assertFalse(t.look());
        }
        assertTrue(t.look(), "quiet again: collected once more");
        h.threads = 7;
        for (int i = 0; i < 3 * HeapTrim.SETTLE_LOOKS; i++) {
            assertFalse(t.look(), "more threads arm nothing");
        }
        assertEquals(2, h.collections);
    }
}
