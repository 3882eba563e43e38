package org.jqmail.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.TempFail;
import org.jqmail.io.Netstring;
import org.jqmail.io.SubstdioIn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QMTP client for qmtproutes (doc/QMTP.md §7): wire bytes, answers and reports exact. */
class QmtpTest {
    static final String IP = "192.0.2.7";
    static final String MESSAGE = "Subject: t\n\n.dot\nno final newline";
    static final String MESSAGE_NS = ns("\n" + MESSAGE);

    @TempDir
    Path home;
    Harness h;

    @BeforeEach
    void setUp() throws IOException {
        h = new Harness(home);
        h.dns.a("hub.example", IP);
        h.control("qmtproutes", "example.com:hub.example\n");
        h.control("smtproutes", "example.com:smtp.example\n");
    }

    String run(String... recips) {
        return h.run(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), "example.com", "a@b.c", recips);
    }

    @Test
    void aMatchingRouteSendsOneMessageByQmtpToPort209() {
        FakePeers.Peer p = h.peers.peer(FakeResolver.ip(IP), ns("Kok 1765 qp 12345"));
        assertEquals("r\0K" + IP + " accepted message by QMTP.\nRemote host said: ok 1765 qp 12345\n\0",
                run("x@example.com"));
        assertEquals(MESSAGE_NS + "5:a@b.c,17:13:x@example.com,,", p.received());
        assertEquals(List.of(IP + ":209"), h.peers.attempts);
        assertTrue(p.closed);
    }

    @Test
    void addressesGoUnquoted() {
        FakePeers.Peer p = h.peers.peer(FakeResolver.ip(IP), "3:Kok,");
        run("\"a b\"@example.com");
        assertTrue(p.received().endsWith("5:a@b.c,21:17:\"a b\"@example.com,,"), p.received());
    }

    @Test
    void eachRecipientGetsItsOwnAnswer() {
        h.peers.peer(FakeResolver.ip(IP), ns("Kok") + ns("Zmailbox full") + ns("Dno such"));
        assertEquals("r\0s" + IP + " does not like recipient.\nRemote host said: mailbox full\n\0"
                + "h" + IP + " does not like recipient.\nRemote host said: no such\n\0"
                + "K" + IP + " accepted message by QMTP.\nRemote host said: ok\n\0",
                run("x@example.com", "y@example.com", "z@example.com"));
    }

    @Test
    void noAcceptedRecipientGivesUp() {
        h.peers.peer(FakeResolver.ip(IP), ns("Dno such"));
        assertEquals("h" + IP + " does not like recipient.\nRemote host said: no such\n\0"
                + "DGiving up on " + IP + ".\n\0", run("x@example.com"));
    }

    @Test
    void aPortInTheRouteIsUsed() throws IOException {
        h.control("qmtproutes", ":hub.example:2209\n");
        h.peers.peer(FakeResolver.ip(IP), "3:Kok,");
        run("x@example.com");
        assertEquals(List.of(IP + ":2209"), h.peers.attempts);
    }

    @Test
    void anEmptyRelayUsesTheMxRecordsAndPort209() throws IOException {
        h.control("qmtproutes", ".com:\n");
        h.dns.mx("example.com", 10, "mx.example.com").a("mx.example.com", "192.0.2.8");
        h.peers.peer(FakeResolver.ip("192.0.2.8"), "3:Kok,");
        assertTrue(run("x@example.com").startsWith("r\0K192.0.2.8 accepted message by QMTP."));
        assertEquals(List.of("192.0.2.8:209"), h.peers.attempts);
    }

    @Test
    void smtproutesApplyOnlyWhenQmtproutesDoNotMatch() throws IOException {
        h.control("qmtproutes", "other.example:hub.example\n");
        h.dns.a("smtp.example", "192.0.2.9");
        h.peers.peer(FakeResolver.ip("192.0.2.9"), "421 no\r\n");
        assertEquals("ZConnected to 192.0.2.9 but greeting failed.\nRemote host said: 421 no\n\0", run("x@example.com"));
        assertEquals(List.of("192.0.2.9:25"), h.peers.attempts);
    }

    @Test
    void aConnectionThatDiesAfterTheMessageMayHaveDelivered() {
        h.peers.peer(FakeResolver.ip(IP), "3:Kok");
        assertEquals("ZConnected to " + IP + " but connection died. Possible duplicate! (#4.4.2)\n\0",
                run("x@example.com", "y@example.com"));
    }

    @Test
    void aConnectionThatDiesWhileSendingDidNot() {
        h.peers.peer(FakeResolver.ip(IP), "").writeFailAfter = 10;
        assertEquals("ZConnected to " + IP + " but connection died. (#4.4.2)\n\0", run("x@example.com"));
    }

    @Test
    void malformedAnswersAreTemporary() {
        for (String bad : new String[] {"3:Xok,", "0:,", "3:Kok;", "x:Kok,", "5001:K", ":K,"}) {
            h.peers.peer(FakeResolver.ip(IP), bad);
            assertEquals("ZConnected to " + IP + " but its QMTP answer was malformed. Possible duplicate! (#4.4.2)\n\0",
                    run("x@example.com"), bad);
        }
    }

    @Test
    void answersAreBoundedAt5000Bytes() throws IOException {
        String k5000 = "K" + "x".repeat(4999);
        assertEquals(k5000, new String(Qmtp.answers(in("5000:" + k5000 + ","), 1).get(0), StandardCharsets.ISO_8859_1));
        assertThrows(Netstring.TooLongException.class, () -> Qmtp.answers(in("5001:" + k5000 + "x,"), 1));
        assertThrows(EOFException.class, () -> Qmtp.answers(in("3:Kok,"), 2));
    }

    @Test
    void aNulInTheAnswerIsShownAsAQuestionMark() {
        h.peers.peer(FakeResolver.ip(IP), "4:Ko\0k,");
        assertEquals("r\0K" + IP + " accepted message by QMTP.\nRemote host said: o?k\n\0", run("x@example.com"));
    }

    @Test
    void aMessageOfUnknownLengthIsSpooledFirst() throws IOException {
        FakePeers.Peer p = h.peers.peer(FakeResolver.ip(IP), "3:Kok,");
        InputStream pipe = new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
        h.run(pipe, "example.com", "a@b.c", "x@example.com");
        assertEquals(MESSAGE_NS + "5:a@b.c,17:13:x@example.com,,", p.received());
    }

    @Test
    void aLongMessageIsSpooledToAFileThatIsRemoved() throws Exception {
        byte[] m = new byte[100_000];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) i;
        }
        try (Spool s = Spool.of(new ByteArrayInputStream(m), 1000, 1 << 20)) {
            assertEquals(m.length, s.size());
            assertEquals(List.of(m.length), List.of(s.in().readAllBytes().length));
        }
        assertThrows(TempFail.class, () -> Spool.of(new ByteArrayInputStream(m), 1000, 99_999));
        try (Spool s = Spool.of(new ByteArrayInputStream(m, 0, 999), 1000, 1 << 20)) {
            assertEquals(999, s.size());
        }
    }

    @Test
    void aShortMessageFileIsUnableToReadMessage() {
        h.peers.peer(FakeResolver.ip(IP), "3:Kok,");
        Remote.Env env = new Remote.Env(home, h.dns, h.ipme, h.tcpto, () -> h.now, h.pid, h.peers, 25);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        List<byte[]> r = new ArrayList<>();
        r.add(Harness.b("x@example.com"));
        new Remote(env).run(Harness.b("example.com"), Harness.b("a@b.c"), r,
                new ByteArrayInputStream(Harness.b("abc")), () -> 4, out);
        assertEquals("ZUnable to read message. (#4.3.0)\n\0", out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void noTempFileIsLeftBehind() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before;
        try (var l = Files.list(tmp)) {
            before = l.filter(f -> f.getFileName().toString().startsWith("qmail-remote")).count();
        }
        byte[] m = new byte[3000];
        try (Spool s = Spool.of(new ByteArrayInputStream(m), 1000, 1 << 20)) {
            assertEquals(3000, s.size());
        }
        try (var l = Files.list(tmp)) {
            assertEquals(before, l.filter(f -> f.getFileName().toString().startsWith("qmail-remote")).count());
        }
    }

    static String ns(String s) {
        return s.length() + ":" + s + ",";
    }

    static SubstdioIn in(String s) {
        return new SubstdioIn(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)), 7);
    }
}
