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
        }, now::get, 20);
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

    @Test
    void idleAcceptorsBeyondTheLimitRetireOnceTheLingerIsOver() throws InterruptedException {
        Acceptors a = acceptors(1);
        a.enter();
        assertTrue(a.took());
        assertTrue(ran.await(10, TimeUnit.SECONDS), "the only idle acceptor took one: another started");
        assertTrue(a.again(false), "within the linger it accepts again: two idle now");
        assertFalse(a.retire(false), "a thread was started just now: none retires");
        advance(Acceptors.LINGER_SECONDS);
        assertFalse(a.retire(true), "the first acceptor never retires");
        assertTrue(a.retire(false), "two idle, one allowed: one retires");
        assertFalse(a.retire(false), "one idle: it stays");
        assertTrue(a.took(), "the idle one takes the next connection");
    }

    @Test
    void oneAcceptorAtATimeHasTheTurnAndAWaitingOneRetiresOnceTheLingerIsOver() {
        Acceptors a = acceptors(1);
        a.enter();
        assertTrue(a.took());
        a.again(false);
        a.again(false); // three idle acceptors, one allowed; the last start was just now
        assertTrue(a.turn(false), "nobody is in accept: the turn is free");
        advance(Acceptors.LINGER_SECONDS);
        assertFalse(a.turn(false), "the turn is taken and three are idle: a waiting one retires");
        assertFalse(a.turn(false), "two idle, one allowed: the next waiting one retires too");
        a.passTurn();
        assertTrue(a.turn(false), "passed on: the next one gets it");
        a.passTurn();
        assertTrue(a.turn(true), "the first acceptor gets its turn");
        new Thread(a::passTurn).start();
        assertTrue(a.turn(true), "and waits for it as long as it takes, without retiring");
        a.passTurn();
    }
}
