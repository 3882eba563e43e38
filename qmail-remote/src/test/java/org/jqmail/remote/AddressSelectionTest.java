package org.jqmail.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MX/A lookup, local-address exclusion and connection order (qmail-remote(8)). */
class AddressSelectionTest {
    static final String OKS = "220 hi\r\n250 a\r\n250 b\r\n250 c\r\n354 d\r\n250 e\r\n";

    @TempDir
    Path home;
    Harness h;

    @BeforeEach
    void setUp() throws IOException {
        h = new Harness(home);
    }

    static String k(String ip) {
        return "r\0K" + ip + " accepted message.\nRemote host said: 250 e\n\0";
    }

    String run() {
        return h.run("example.com", "a@b.c", "x@example.com");
    }

    @Test
    void lowestPreferenceFirstThenFallBackToTheNextMx() {
        h.dns.mx("example.com", 20, "mx2.example.com", 10, "mx1.example.com")
             .a("mx1.example.com", "192.0.2.1", "192.0.2.2").a("mx2.example.com", "192.0.2.3");
        h.peers.refuse(FakeResolver.ip("192.0.2.1")).timeout(FakeResolver.ip("192.0.2.2"));
        h.peers.peer(FakeResolver.ip("192.0.2.3"), OKS);
        assertEquals(k("192.0.2.3"), run());
        assertEquals(List.of("192.0.2.1:25", "192.0.2.2:25", "192.0.2.3:25"), h.peers.attempts);
        assertEquals(List.of("MX example.com", "A mx1.example.com", "A mx2.example.com"), h.dns.queries);
    }

    @Test
    void noConnectionAtAllIsTemporary() {
        h.dns.mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "192.0.2.1");
        assertEquals("ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n\0", run());
    }

    @Test
    void temporaryFailureAfterConnectingDoesNotTryTheNextMx() {
        h.dns.mx("example.com", 10, "mx1.example.com", 20, "mx2.example.com")
             .a("mx1.example.com", "192.0.2.1").a("mx2.example.com", "192.0.2.3");
        h.peers.peer(FakeResolver.ip("192.0.2.1"), "421 busy\r\n");
        h.peers.peer(FakeResolver.ip("192.0.2.3"), OKS);
        assertEquals("ZConnected to 192.0.2.1 but greeting failed.\nRemote host said: 421 busy\n\0", run());
        assertEquals(List.of("192.0.2.1:25"), h.peers.attempts);
    }

    @Test
    void mxLookupSoftFailureIsTemporary() {
        h.dns.mxFails("example.com", FakeResolver.SOFT);
        assertEquals("ZSorry, I couldn't find any host by that name. (#4.1.2)\n\0", run());
    }

    @Test
    void noMxFallsBackToTheHostsAddress() {
        h.dns.a("example.com", "192.0.2.7");
        h.peers.peer(FakeResolver.ip("192.0.2.7"), OKS);
        assertEquals(k("192.0.2.7"), run());
        assertEquals(List.of("MX example.com", "A example.com"), h.dns.queries);
    }

    @Test
    void mxAnswerWithoutMxRecordsFallsBackToA() {
        h.dns.mx("example.com").a("example.com", "192.0.2.7");
        h.peers.peer(FakeResolver.ip("192.0.2.7"), OKS);
        assertEquals(k("192.0.2.7"), run());
    }

    @Test
    void unknownHostIsPermanent() {
        assertEquals("DSorry, I couldn't find any host named example.com. (#5.1.2)\n\0", run());
    }

    @Test
    void unknownHostNameIsPrintedSafely() {
        assertEquals("DSorry, I couldn't find any host named a?b?c. (#5.1.2)\n\0",
                h.run("a b\u00e9c", "a@b.c", "x@example.com"));
    }

    @Test
    void fallbackALookupSoftFailureIsTemporary() {
        h.dns.aFails("example.com", FakeResolver.SOFT);
        assertEquals("ZSorry, I couldn't find any host by that name. (#4.1.2)\n\0", run());
    }

    @Test
    void hostWithNoAddressesIsPermanentNoMx() {
        h.dns.a("example.com");
        assertEquals("DSorry, I couldn't find a mail exchanger or IP address. (#5.4.4)\n\0", run());
    }

    @Test
    void exchangersThatDoNotExistLeaveNothingToTry() {
        h.dns.mx("example.com", 10, "gone1.example.com", 20, "gone2.example.com");
        assertEquals("DSorry, I couldn't find a mail exchanger or IP address. (#5.4.4)\n\0", run());
    }

    @Test
    void exchangerWithSoftFailureIsSkippedButOthersAreUsed() {
        h.dns.mx("example.com", 10, "mx1.example.com", 20, "mx2.example.com")
             .aFails("mx1.example.com", FakeResolver.SOFT).a("mx2.example.com", "192.0.2.3");
        h.peers.peer(FakeResolver.ip("192.0.2.3"), OKS);
        assertEquals(k("192.0.2.3"), run());
    }

    @Test
    void allExchangersSoftIsTemporary() {
        h.dns.mx("example.com", 10, "mx1.example.com").aFails("mx1.example.com", FakeResolver.SOFT);
        assertEquals("ZSorry, I couldn't find any host by that name. (#4.1.2)\n\0", run());
    }

    @Test
    void bestMxIsMeIsPermanent() {
        h.dns.mx("example.com", 10, "mx1.example.com", 20, "mx2.example.com")
             .a("mx1.example.com", "127.0.0.1").a("mx2.example.com", "192.0.2.3");
        assertEquals("DSorry. Although I'm listed as a best-preference MX or A for that host,\n"
                + "it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)\n\0", run());
        assertEquals(List.of(), h.peers.attempts);
    }

    @Test
    void onlyExchangersBetterThanMeAreUsed() {
        h.dns.mx("example.com", 5, "mx0.example.com", 10, "me.example.com", 10, "peer.example.com",
                20, "mx2.example.com")
             .a("mx0.example.com", "192.0.2.1").a("me.example.com", "192.0.2.99")
             .a("peer.example.com", "192.0.2.2").a("mx2.example.com", "192.0.2.3");
        assertEquals("ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n\0", run());
        assertEquals(List.of("192.0.2.1:25"), h.peers.attempts);
    }

    @Test
    void zeroAddressIsAlwaysMe() {
        h.dns.mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "0.0.0.0");
        assertEquals("DSorry. Although I'm listed as a best-preference MX or A for that host,\n"
                + "it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)\n\0", run());
    }

    @Test
    void dottedQuadAndBracketedHostsNeedNoLookup() {
        h.peers.peer(FakeResolver.ip("192.0.2.5"), OKS);
        assertEquals(k("192.0.2.5"), h.run("192.0.2.5", "a@b.c", "x@[192.0.2.5]"));
        h.peers.peer(FakeResolver.ip("192.0.2.5"), OKS);
        assertEquals(k("192.0.2.5"), h.run("[192.0.2.5]", "a@b.c", "x@[192.0.2.5]"));
        assertEquals(List.of(), h.dns.queries);
    }

    @Test
    void dottedQuadOfMyOwnIsPermanent() {
        assertEquals("DSorry. Although I'm listed as a best-preference MX or A for that host,\n"
                + "it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)\n\0",
                h.run("[127.0.0.1]", "a@b.c", "x@[127.0.0.1]"));
    }

    @Test
    void exchangerNamedByADottedQuadGetsPreferenceZero() {
        h.dns.mx("example.com", 10, "192.0.2.1", 5, "mx0.example.com").a("mx0.example.com", "192.0.2.2");
        h.peers.peer(FakeResolver.ip("192.0.2.1"), OKS);
        assertEquals(k("192.0.2.1"), run());
        assertEquals(List.of("192.0.2.2:25", "192.0.2.1:25"), h.peers.attempts);
    }

    @Test
    void routeConnectsToTheRelayWithItsPortAndSkipsTheMeCheck() throws IOException {
        h.control("smtproutes", "# comment\nexample.com:relay.example.net:2525\n");
        h.dns.a("relay.example.net", "127.0.0.1");
        h.peers.peer(FakeResolver.ip("127.0.0.1"), OKS);
        assertEquals(k("127.0.0.1"), run());
        assertEquals(List.of("127.0.0.1:2525"), h.peers.attempts);
        assertEquals(List.of("A relay.example.net"), h.dns.queries);
    }

    @Test
    void routeToUnknownRelayNamesTheRelay() throws IOException {
        h.control("smtproutes", ":relay.example.net\n");
        assertEquals("DSorry, I couldn't find any host named relay.example.net. (#5.1.2)\n\0", run());
    }

    @Test
    void routeWithEmptyRelayUsesMx() throws IOException {
        h.control("smtproutes", "example.com:\n:relay.example.net\n");
        h.dns.mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "192.0.2.1");
        h.peers.peer(FakeResolver.ip("192.0.2.1"), OKS);
        assertEquals(k("192.0.2.1"), run());
    }

    @Test
    void defaultPortIsUsedForMxDeliveries() {
        h.port = 2600;
        h.dns.mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "192.0.2.1");
        h.peers.peer(FakeResolver.ip("192.0.2.1"), OKS);
        run();
        assertEquals(List.of("192.0.2.1:2600"), h.peers.attempts);
    }

    @Test
    void equalPreferencesAreShuffledBySeed() {
        Set<List<String>> orders = new HashSet<>();
        Set<String> firsts = new HashSet<>();
        for (long seed = 0; seed < 60; seed++) {
            h = harness();
            h.now = 1_700_000_000L + seed * 17;
            h.pid = 1000 + seed * 7;
            h.dns.mx("example.com", 10, "a.example.com", 10, "b.example.com", 10, "c.example.com")
                 .a("a.example.com", "192.0.2.1").a("b.example.com", "192.0.2.2").a("c.example.com", "192.0.2.3");
            run();
            orders.add(List.copyOf(h.peers.attempts));
            firsts.add(h.peers.attempts.get(0));
        }
        assertEquals(3, firsts.size(), orders.toString());
        assertEquals(true, orders.size() >= 4, orders.toString());
    }

    @Test
    void sameSeedSameOrder() {
        String first = null;
        for (int i = 0; i < 3; i++) {
            h = harness();
            h.dns.mx("example.com", 10, "a.example.com", 10, "b.example.com", 10, "c.example.com")
                 .a("a.example.com", "192.0.2.1").a("b.example.com", "192.0.2.2").a("c.example.com", "192.0.2.3");
            run();
            String o = h.peers.attempts.toString();
            if (first != null) {
                assertEquals(first, o);
            }
            first = o;
        }
        assertNotEquals(null, first);
    }

    private Harness harness() {
        try {
            return new Harness(home);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void missingMeAndHelohostIsAControlFileProblem() throws IOException {
        Files.delete(home.resolve("control/me"));
        Files.delete(home.resolve("control/helohost"));
        assertEquals("ZUnable to read control files. (#4.3.0)\n\0", run());
    }

    @Test
    void helohostDefaultsToMe() throws IOException {
        Files.delete(home.resolve("control/helohost"));
        h.peers.peer(FakeResolver.ip("192.0.2.5"), OKS);
        h.run("192.0.2.5", "a@b.c", "x@y");
        assertEquals(true, h.peers.attempts.size() == 1);
    }

    @Test
    void unreadableControlFileIsTemporary() throws IOException {
        Files.createDirectory(home.resolve("control/smtproutes"));
        assertEquals("ZUnable to read control files. (#4.3.0)\n\0", run());
    }

    @Test
    void missingHomeIsTemporary() throws IOException {
        Harness g = new Harness(home.resolve("sub"));
        Remote.Env env = new Remote.Env(home.resolve("nonexistent"), g.dns, g.ipme, g.tcpto, () -> 1L, 1, g.peers, 25);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        new Remote(env).run("a".getBytes(StandardCharsets.ISO_8859_1), new byte[0],
                List.of("x@a".getBytes(StandardCharsets.ISO_8859_1)), java.io.InputStream.nullInputStream(), out);
        assertEquals("ZUnable to switch to home directory. (#4.3.0)\n\0", out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void noRecipientsIsUsage() {
        assertEquals("DI (qmail-remote) was invoked improperly. (#5.3.5)\n\0", h.run("example.com", "a@b.c"));
    }
}
