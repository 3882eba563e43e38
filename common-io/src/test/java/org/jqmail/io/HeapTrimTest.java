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
        int collections;

        void collect() {
            collections++;
            committed = live;
        }
    }

    @Test
    void aHeapThatDoesNotGrowIsNeverCollected() {
        Heap h = new Heap();
        HeapTrim t = new HeapTrim(() -> h.committed, h::collect);
        for (int i = 0; i < 10; i++) {
            assertFalse(t.look());
        }
        assertEquals(0, h.collections);
    }

    @Test
    void aHeapStillGrowingIsCollectedOnceItHasGrownByTheLimit() {
        Heap h = new Heap();
        HeapTrim t = new HeapTrim(() -> h.committed, h::collect);
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
        HeapTrim t = new HeapTrim(() -> h.committed, h::collect);
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
}
