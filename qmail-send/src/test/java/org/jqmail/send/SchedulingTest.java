package org.jqmail.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SchedulingTest {
    @Test
    void squarerootIsTheIntegerSquareRootBelowTwoToTheSixteen() {
        for (long x : new long[] {0, 1, 2, 3, 4, 8, 9, 99, 100, 101, 65535L * 65535L, 1L << 32}) {
            long y = Passes.squareroot(x);
            long want = Math.min(65535, (long) Math.floor(Math.sqrt((double) x)));
            assertEquals(want, y, "x=" + x);
        }
    }

    @Test
    void localRetriesAreAtTenKSquared() {
        long birth = 1_000_000;
        long t = birth;
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            t = Passes.nextretry(birth, 0, t);
            seen.add(t - birth);
        }
        assertEquals(List.of(100L, 400L, 900L, 1600L, 2500L, 3600L), seen);
    }

    @Test
    void remoteRetriesAreAtTwentyKSquared() {
        long birth = 1_000_000;
        long t = birth;
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            t = Passes.nextretry(birth, 1, t);
            seen.add(t - birth);
        }
        assertEquals(List.of(400L, 1600L, 3600L, 6400L, 10000L), seen);
    }

    @Test
    void lateAttemptsSkipAheadAndFutureBirthCountsAsNew() {
        assertEquals(1_000_000 + 42 * 42, Passes.nextretry(1_000_000, 1, 1_000_000 + 500));
        assertEquals(2_000_000 + 100, Passes.nextretry(2_000_000, 0, 1_000_000));
        assertEquals(1_000_000 + 19 * 19, Passes.nextretry(1_000_000, 0, 1_000_000 + 99));
        assertEquals(1_000_000 + 11 * 11, Passes.nextretry(1_000_000, 0, 1_000_000 + 100 - 99));
    }

    @Test
    void prioQueueReturnsEntriesInTimeOrder() {
        PrioQueue q = new PrioQueue();
        Random r = new Random(4);
        List<Long> dts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            long dt = r.nextInt(50);
            dts.add(dt);
            q.insert(i, dt);
        }
        dts.sort(null);
        for (long dt : dts) {
            assertEquals(dt, q.min().dt());
            q.delmin();
        }
        assertNull(q.min());
        q.insert(1, 5);
        q.insert(2, 9);
        q.setAll(3);
        assertEquals(3, q.min().dt());
        q.delmin();
        assertEquals(3, q.min().dt());
    }
}
