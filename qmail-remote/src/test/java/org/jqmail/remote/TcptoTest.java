package org.jqmail.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timeout table's record logic (qmail-tcpto(8)), byte for byte. */
class TcptoTest {
    static final long NOW = 1_700_000_000L;
    static final int A = FakeResolver.ip("192.0.2.1");
    static final int B = FakeResolver.ip("192.0.2.2");

    final MemTcpto mem = new MemTcpto();
    long now = NOW;

    Tcpto tcpto(long pid) {
        return new Tcpto(mem, () -> now, pid);
    }

    void record(int slot, int ip, int count, long when) {
        int r = slot * 16;
        System.arraycopy(Ip.bytes(ip), 0, mem.table, r, 4);
        mem.table[r + 4] = (byte) count;
        Tcpto.putWhen(mem.table, r, when);
    }

    @Test
    void firstTimeoutTakesTheFirstFreeRecord() {
        record(0, B, 3, NOW - 10);
        Tcpto t = tcpto(1);
        assertFalse(t.skip(A));
        t.err(A, true);
        byte[] rec = java.util.Arrays.copyOfRange(mem.table, 16, 32);
        byte[] expect = new byte[16];
        System.arraycopy(Ip.bytes(A), 0, expect, 0, 4);
        expect[4] = 1;
        Tcpto.putWhen(expect, 0, NOW);
        assertEquals(java.util.Arrays.toString(expect), java.util.Arrays.toString(rec));
        assertEquals(1, mem.writes);
    }

    @Test
    void timeTableIsLittleEndian() {
        Tcpto t = tcpto(1);
        now = 0x01020304L;
        t.err(A, true);
        assertEquals(4, mem.table[8]);
        assertEquals(3, mem.table[9]);
        assertEquals(2, mem.table[10]);
        assertEquals(1, mem.table[11]);
    }

    @Test
    void repeatedTimeoutWithinTwoMinutesDoesNotCountAgain() {
        record(0, A, 1, NOW - 119);
        tcpto(1).err(A, true);
        assertEquals(1, mem.table[4]);
        assertEquals(0, mem.writes);
    }

    @Test
    void timeoutAfterTwoMinutesCountsAndStampsTime() {
        record(0, A, 1, NOW - 120);
        tcpto(1).err(A, true);
        assertEquals(2, mem.table[4]);
        assertEquals(NOW, Tcpto.when(mem.table, 0));
    }

    @Test
    void countStopsAtTen() {
        record(0, A, 10, NOW - 1000);
        tcpto(1).err(A, true);
        assertEquals(10, mem.table[4]);
    }

    @Test
    void skipNeedsTwoTimeoutsWithinTheWindow() {
        long pid = 37; // window (60 + 37 % 32) * 64 = 4160 s
        record(0, A, 2, NOW - 4159);
        assertTrue(tcpto(pid).skip(A));
        record(0, A, 2, NOW - 4160);
        assertFalse(tcpto(pid).skip(A));
        record(0, A, 1, NOW - 5);
        assertFalse(tcpto(pid).skip(A));
    }

    @Test
    void windowDependsOnPid() {
        record(0, A, 2, NOW - 3900);
        assertFalse(tcpto(0).skip(A)); // 60 * 64 = 3840
        assertTrue(tcpto(31).skip(A)); // 91 * 64 = 5824
    }

    @Test
    void futureTimestampIsNotASkip() {
        record(0, A, 5, NOW + 100);
        assertFalse(tcpto(1).skip(A));
    }

    @Test
    void successClearsOnlyARecordThatSkipSaw() {
        record(3, A, 4, NOW - 10000);
        Tcpto t = tcpto(1);
        t.err(A, false);
        assertEquals(4, mem.table[3 * 16 + 4]);
        assertFalse(t.skip(A));
        t.err(A, false);
        assertEquals(0, mem.table[3 * 16 + 4]);
        assertEquals(0, mem.locked);
    }

    @Test
    void successForAnUnknownAddressWritesNothing() {
        Tcpto t = tcpto(1);
        assertFalse(t.skip(A));
        t.err(A, false);
        assertEquals(0, mem.writes);
    }

    @Test
    void fullTableEvictsTheSmallestTimePlusCountWeight() {
        for (int i = 0; i < 64; i++) {
            record(i, FakeResolver.ip("10.0.0." + i), 1 + (i % 10), NOW - 10000 + i * 10);
        }
        // slot 0: when NOW-10000 + 1*1024; slot 10: NOW-9900 + 1*1024 ... slot 0 is smallest.
        record(0, FakeResolver.ip("10.0.0.0"), 9, NOW - 10000);
        // now slot 0 weighs NOW-10000+9216; slot 10 (count 1) weighs NOW-9900+1024: smallest.
        tcpto(1).err(A, true);
        assertEquals(A, Tcpto.ipAt(mem.table, 10 * 16));
        assertEquals(1, mem.table[10 * 16 + 4]);
    }

    @Test
    void unreadableTableIsIgnored() {
        mem.unreadable = true;
        Tcpto t = tcpto(1);
        assertFalse(t.skip(A));
        t.err(A, true);
        assertEquals(0, mem.writes);
    }

    @Test
    void shortTableHasFewerRecords() {
        mem.size = 40; // two whole records
        record(2, A, 5, NOW - 1);
        assertFalse(tcpto(1).skip(A));
        Tcpto t = tcpto(1);
        record(0, B, 1, NOW - 10);
        record(1, B, 1, NOW - 20);
        t.err(A, true);
        assertEquals(A, Tcpto.ipAt(mem.table, 16));
    }

    @Test
    void listing() {
        record(0, A, 2, NOW - 65);
        record(1, B, 0, NOW - 5);
        record(5, FakeResolver.ip("10.1.2.3"), 10, NOW + 3);
        assertEquals("192.0.2.1 timed out 65 seconds ago; # recent timeouts: 2\n"
                + "10.1.2.3 timed out 18446744073709551613 seconds ago; # recent timeouts: 10\n",
                new String(Tcpto.list(mem.table, 1024, NOW), StandardCharsets.ISO_8859_1));
    }

    @TempDir
    Path home;

    @Test
    void connectTimeoutsAreRecordedAndThenSkipped() throws IOException {
        Harness h = new Harness(home);
        h.dns.mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "192.0.2.1", "192.0.2.2");
        h.peers.timeout(A).refuse(B);
        h.run("example.com", "a@b.c", "x@example.com");
        assertEquals(A, Tcpto.ipAt(h.tcpto.table, 0));
        assertEquals(1, h.tcpto.table[4]);
        assertEquals(0, Tcpto.ipAt(h.tcpto.table, 16));
        h.now += 200;
        h.run("example.com", "a@b.c", "x@example.com");
        assertEquals(2, h.tcpto.table[4]);
        h.now += 10;
        h.peers.attempts.clear();
        assertEquals("ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n\0",
                h.run("example.com", "a@b.c", "x@example.com"));
        assertEquals(List.of("192.0.2.2:25"), h.peers.attempts);
    }

    @Test
    void successfulConnectClearsTheRecord() throws IOException {
        Harness h = new Harness(home);
        h.dns.mx("example.com", 10, "mx1.example.com").a("mx1.example.com", "192.0.2.1");
        System.arraycopy(Ip.bytes(A), 0, h.tcpto.table, 0, 4);
        h.tcpto.table[4] = 1;
        h.peers.peer(A, "220 x\r\n");
        h.run("example.com", "a@b.c", "x@example.com");
        assertEquals(0, h.tcpto.table[4]);
    }
}
