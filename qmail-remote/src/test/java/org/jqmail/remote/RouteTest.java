package org.jqmail.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.ConstMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** smtproutes lookups (qmail-remote(8)). */
class RouteTest {
    static ConstMap routes(String... lines) {
        List<byte[]> l = new ArrayList<>();
        for (String s : lines) {
            l.add(s.getBytes(StandardCharsets.ISO_8859_1));
        }
        return ConstMap.ofColonLines(l);
    }

    static String show(Route.Relay r) {
        return r == null ? "MX" : new String(r.host(), StandardCharsets.ISO_8859_1) + " " + r.port();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "example.com|relay.example.net 25",
        "EXAMPLE.COM|relay.example.net 25",
        "sub.example.com|default 25",
        "a.sub.example.com|sub-relay 2525",
        "af.mil|default 25",
        "x.af.mil|MX",
        "y.x.af.mil|MX",
        "other.org|default 25",
        "literal.test|127.0.0.1 26",
        "bracket.test|[10.0.0.1] 25",
        "noport.test|relay 0",
        "bigport.test|relay 1",
        "junkport.test|relay 0",
        "twocolons.test|relay 25"})
    void firstHitWins(String host, String expected) {
        ConstMap m = routes("example.com:relay.example.net", ".sub.example.com:sub-relay:2525",
                ".af.mil:", ":default", "literal.test:127.0.0.1:26", "bracket.test:[10.0.0.1]",
                "noport.test:relay:", "bigport.test:relay:65537", "junkport.test:relay:x25",
                "twocolons.test:relay:25:99");
        assertEquals(expected, show(Route.select(m, host.getBytes(StandardCharsets.ISO_8859_1))));
    }

    @Test
    void noRoutesMeansMx() {
        assertNull(Route.select(routes(), "example.com".getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void lastLineForAKeyWins() {
        assertEquals("second 25", show(Route.select(routes("a.test:first", "A.TEST:second"),
                "a.test".getBytes(StandardCharsets.ISO_8859_1))));
    }

    @Test
    void emptyHostMatchesOnlyTheDefault() {
        assertEquals("d 25", show(Route.select(routes(":d"), new byte[0])));
    }

    @Test
    void trailingDotHostTriesTheLoneDotKey() {
        assertEquals("dot 25", show(Route.select(routes(".:dot", ":d"), "a.b.".getBytes(StandardCharsets.ISO_8859_1))));
    }

    @ParameterizedTest(name = "qmtproutes {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "hub.test|hub.example 209",
        "a.inner.test|inner-hub 2209",
        "inner.test|none",
        "x.mx.test|MX",
        "other.org|none"})
    void qmtproutesDefaultToPort209AndTellAnMxRouteFromNone(String host, String expected) {
        ConstMap m = routes("hub.test:hub.example", ".inner.test:inner-hub:2209", ".mx.test:");
        byte[] value = Route.find(m, host.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(expected, value == null ? "none" : show(Route.relay(value, Route.QMTP_PORT)));
    }

    @Test
    void anEmptyDefaultQmtprouteSendsEverythingByQmtpToTheMx() {
        ConstMap m = routes(":");
        byte[] value = Route.find(m, "anything.example".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(0, value.length);
        assertNull(Route.relay(value, Route.QMTP_PORT));
    }
}
