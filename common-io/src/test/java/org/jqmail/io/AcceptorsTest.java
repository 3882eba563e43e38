package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AcceptorsTest {
    private final AtomicInteger started = new AtomicInteger();
    private final CountDownLatch ran = new CountDownLatch(1);
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    private Acceptors acceptors(int maxIdle) {
        return new Acceptors("t", maxIdle, () -> {
            started.incrementAndGet();
            ran.countDown();
        }, now::get);
    }

    private void advance(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void theLastIdleAcceptorToTakeAConnectionStartsAnother() throws InterruptedException {
        Acceptors a = acceptors(4);
        a.enter();
        assertTrue(a.took());
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        assertEquals(1, started.get());
    }

    @Test
    void noThreadWhileAnotherAcceptorIsIdle() {
        Acceptors a = acceptors(4);
        a.enter();
        a.enter();
        assertTrue(a.took());
        assertEquals(0, started.get());
        assertTrue(a.took(), "the second taker is the last idle one");
    }

    @Test
    void aFinishedAcceptorEndsWhenEnoughAreIdleButNeverTheFirst() {
        Acceptors a = acceptors(1);
        a.enter();
        a.enter();
        assertTrue(a.took());
        assertFalse(a.again(false), "one idle already: a started acceptor ends");
        assertTrue(a.took());
        assertTrue(a.again(true), "the first acceptor goes on whatever the count");
    }

    @Test
    void anAcceptorThatLeavesIsNoLongerCounted() throws InterruptedException {
        Acceptors a = acceptors(2);
        a.enter();
        a.enter();
        a.leave();
        assertTrue(a.took());
        assertTrue(ran.await(10, TimeUnit.SECONDS), "the one left took a connection: another was started");
        assertTrue(a.again(false), "one idle, fewer than two: it accepts again");
        assertTrue(a.again(false), "two idle, but a thread was started just now: it lingers");
        advance(Acceptors.LINGER_SECONDS);
        assertFalse(a.again(false), "three idle and no start for the linger: the next one to finish ends");
    }

    @Test
    void afterAThreadStartFinishedAcceptorsStayForTheLingerThenEnd() throws InterruptedException {
        Acceptors a = acceptors(1);
        a.enter();
        assertTrue(a.took());
        assertTrue(ran.await(10, TimeUnit.SECONDS));
        assertEquals(1, started.get(), "the only idle acceptor took a connection: one was started");
        advance(Acceptors.LINGER_SECONDS - 1);
        assertTrue(a.again(false), "one idle (the started one), but within the linger: it stays");
        assertTrue(a.took());
        assertEquals(1, started.get(), "another was idle: none started");
        advance(1);
        assertFalse(a.again(false), "one idle and the linger is over: it ends");
        assertTrue(a.again(true), "the first acceptor goes on whatever the count");
    }
}
