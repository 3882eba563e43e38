package org.jqmail.smtpd.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** The per-address connection count: the limit at limit-1, limit and limit+1, and 0. */
class ClientCountsTest {
    private static InetAddress ip(String s) throws UnknownHostException {
        return InetAddress.getByName(s);
    }

    @Test
    void eachAddressHasItsOwnCount() throws UnknownHostException {
        ClientCounts c = new ClientCounts();
        assertTrue(c.enter(ip("192.0.2.1"), 3));
        assertTrue(c.enter(ip("192.0.2.1"), 3));
        assertTrue(c.enter(ip("192.0.2.1"), 3), "limit - 1 open: one more");
        assertFalse(c.enter(ip("192.0.2.1"), 3), "at the limit");
        assertTrue(c.enter(ip("192.0.2.2"), 3), "another address is not affected");
        c.leave(ip("192.0.2.1"));
        assertTrue(c.enter(ip("192.0.2.1"), 3));
        assertEquals(3, c.count(ip("192.0.2.1")));
        assertEquals(1, c.count(ip("192.0.2.2")));
    }

    @Test
    void zeroRefusesEveryConnection() throws UnknownHostException {
        ClientCounts c = new ClientCounts();
        assertFalse(c.enter(ip("2001:db8::1"), 0));
        assertEquals(0, c.count(ip("2001:db8::1")));
    }

    @Test
    void aLimitLoweredBelowTheOpenCountAdmitsNoMore() throws UnknownHostException {
        ClientCounts c = new ClientCounts();
        for (int i = 0; i < 5; i++) {
            assertTrue(c.enter(ip("192.0.2.9"), 10));
        }
        assertFalse(c.enter(ip("192.0.2.9"), 2));
        for (int i = 0; i < 5; i++) {
            c.leave(ip("192.0.2.9"));
        }
        assertEquals(0, c.count(ip("192.0.2.9")));
        assertTrue(c.enter(ip("192.0.2.9"), 2));
    }
}
