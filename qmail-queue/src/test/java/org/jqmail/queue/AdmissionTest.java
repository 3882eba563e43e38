package org.jqmail.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-uid limits: each bound at limit-1, limit and limit+1, and places given back. */
class AdmissionTest {
    /** root, alias, qmaild, qmails. */
    private static final long[] TRUSTED = {0, 7, 8, 9};

    @Test
    void anOrdinaryUidGetsItsOwnLimit() {
        Admission a = new Admission(TRUSTED, 5, 3, 100);
        assertTrue(a.enter(1000));
        assertTrue(a.enter(1000));
        assertTrue(a.enter(1000), "limit - 1 held: one more");
        assertFalse(a.enter(1000), "at the limit");
        assertTrue(a.enter(1001), "another uid is not affected");
        a.leave(1000);
        assertTrue(a.enter(1000), "a place given back can be taken again");
        assertFalse(a.enter(1000));
        assertEquals(3, a.held(1000));
    }

    @Test
    void ordinaryUidsTogetherHaveALimitThatTheSystemAccountsDoNotShare() {
        Admission a = new Admission(TRUSTED, 2, 3, 4);
        assertTrue(a.enter(1000));
        assertTrue(a.enter(1000));
        assertTrue(a.enter(1001));
        assertTrue(a.enter(1002), "limit - 1 held by all: one more");
        assertFalse(a.enter(1003), "all ordinary uids together at their limit");
        for (long t : TRUSTED) {
            assertTrue(a.enter(t));
            assertTrue(a.enter(t));
            assertFalse(a.enter(t), "each system account has its own limit");
        }
        a.leave(1002);
        assertTrue(a.enter(1003));
    }

    @Test
    void theSystemAccountsAreTrusted() {
        Admission a = new Admission(TRUSTED, 2, 3, 4);
        for (long t : TRUSTED) {
            assertTrue(a.trusted(t));
        }
        assertFalse(a.trusted(1000));
        assertFalse(a.trusted(65534));
    }

    @Test
    void leavingWithoutAPlaceChangesNothing() {
        Admission a = new Admission(TRUSTED, 2, 1, 1);
        a.leave(1000);
        assertTrue(a.enter(1001));
        assertFalse(a.enter(1002));
    }
}
