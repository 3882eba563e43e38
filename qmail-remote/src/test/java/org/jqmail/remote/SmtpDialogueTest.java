package org.jqmail.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The SMTP dialogue (qmail-remote(8)): every reply class at every stage, output and wire bytes exact. */
class SmtpDialogueTest {
    static final String IP = "192.0.2.1";
    static final String GREET = "220 mx.example.com ESMTP\r\n";
    static final String OK = "250 ok\r\n";
    static final String GO = "354 go ahead\r\n";
    static final String HELO = "HELO helo.test\r\n";
    static final String MAIL = "MAIL FROM:<a@b.c>\r\n";
    static final String RCPT = "RCPT TO:<x@example.com>\r\n";
    static final String BODY = "Subject: t\r\n\r\nbody\r\n.\r\n";
    static final String QUIT = "QUIT\r\n";

    @TempDir
    Path home;
    Harness h;

    @BeforeEach
    void setUp() throws IOException {
        h = new Harness(home);
        h.dns.mx("example.com", 10, "mx.example.com").a("mx.example.com", IP);
    }

    static Stream<Arguments> stages() {
        return Stream.of(
            Arguments.of("success", GREET + OK + OK + OK + GO + "250 ok 812345679 qp 12345\r\n",
                "r\0K" + IP + " accepted message.\nRemote host said: 250 ok 812345679 qp 12345\n\0",
                HELO + MAIL + RCPT + "DATA\r\n" + BODY + QUIT),
            Arguments.of("greeting 421", "421 busy\r\n",
                "ZConnected to " + IP + " but greeting failed.\nRemote host said: 421 busy\n\0", QUIT),
            Arguments.of("greeting 554 is only temporary", "554 go away\r\n",
                "ZConnected to " + IP + " but greeting failed.\nRemote host said: 554 go away\n\0", QUIT),
            Arguments.of("greeting 250", "250 odd\r\n",
                "ZConnected to " + IP + " but greeting failed.\nRemote host said: 250 odd\n\0", QUIT),
            Arguments.of("helo 501", GREET + "501 bad name\r\n",
                "ZConnected to " + IP + " but my name was rejected.\nRemote host said: 501 bad name\n\0",
                HELO + QUIT),
            Arguments.of("helo 220 is not 250", GREET + "220 hm\r\n",
                "ZConnected to " + IP + " but my name was rejected.\nRemote host said: 220 hm\n\0",
                HELO + QUIT),
            Arguments.of("mail 451", GREET + OK + "451 try later\r\n",
                "ZConnected to " + IP + " but sender was rejected.\nRemote host said: 451 try later\n\0",
                HELO + MAIL + QUIT),
            Arguments.of("mail 553", GREET + OK + "553 no thanks\r\n",
                "DConnected to " + IP + " but sender was rejected.\nRemote host said: 553 no thanks\n\0",
                HELO + MAIL + QUIT),
            Arguments.of("mail 399 is accepted", GREET + OK + "399 eh\r\n" + OK + GO + OK,
                "r\0K" + IP + " accepted message.\nRemote host said: 250 ok\n\0",
                HELO + MAIL + RCPT + "DATA\r\n" + BODY + QUIT),
            Arguments.of("rcpt 450", GREET + OK + OK + "450 mailbox busy\r\n",
                "s" + IP + " does not like recipient.\nRemote host said: 450 mailbox busy\n\0"
                    + "DGiving up on " + IP + ".\n\0",
                HELO + MAIL + RCPT + QUIT),
            Arguments.of("rcpt 550", GREET + OK + OK + "550 no such user\r\n",
                "h" + IP + " does not like recipient.\nRemote host said: 550 no such user\n\0"
                    + "DGiving up on " + IP + ".\n\0",
                HELO + MAIL + RCPT + QUIT),
            Arguments.of("data 451", GREET + OK + OK + OK + "451 not now\r\n",
                "r\0Z" + IP + " failed on DATA command.\nRemote host said: 451 not now\n\0",
                HELO + MAIL + RCPT + "DATA\r\n" + QUIT),
            Arguments.of("data 554", GREET + OK + OK + OK + "554 never\r\n",
                "r\0D" + IP + " failed on DATA command.\nRemote host said: 554 never\n\0",
                HELO + MAIL + RCPT + "DATA\r\n" + QUIT),
            Arguments.of("data 250 is fine", GREET + OK + OK + OK + OK + OK,
                "r\0K" + IP + " accepted message.\nRemote host said: 250 ok\n\0",
                HELO + MAIL + RCPT + "DATA\r\n" + BODY + QUIT),
            Arguments.of("message 452", GREET + OK + OK + OK + GO + "452 disk full\r\n",
                "r\0Z" + IP + " failed after I sent the message.\nRemote host said: 452 disk full\n\0",
                HELO + MAIL + RCPT + "DATA\r\n" + BODY + QUIT),
            Arguments.of("message 552", GREET + OK + OK + OK + GO + "552 too big\r\n",
                "r\0D" + IP + " failed after I sent the message.\nRemote host said: 552 too big\n\0",
                HELO + MAIL + RCPT + "DATA\r\n" + BODY + QUIT),
            Arguments.of("multi-line replies keep every line without CR",
                "220-first\r\n220-second\r\n220 third\r\n" + OK + OK + OK + GO + "250-queued\r\n250 as 7\r\n",
                "r\0K" + IP + " accepted message.\nRemote host said: 250-queued\n250 as 7\n\0",
                HELO + MAIL + RCPT + "DATA\r\n" + BODY + QUIT),
            Arguments.of("bare LF replies", "220 hi\n250 a\n250 b\n250 c\n354 d\n250 e\n",
                "r\0K" + IP + " accepted message.\nRemote host said: 250 e\n\0",
                HELO + MAIL + RCPT + "DATA\r\n" + BODY + QUIT),
            Arguments.of("non-digit code counts as at least 500", GREET + OK + "abc what\r\n",
                "DConnected to " + IP + " but sender was rejected.\nRemote host said: abc what\n\0",
                HELO + MAIL + QUIT),
            Arguments.of("code with a space wraps to a huge unsigned value", GREET + OK + " 25 x\r\n",
                "DConnected to " + IP + " but sender was rejected.\nRemote host said:  25 x\n\0",
                HELO + MAIL + QUIT),
            Arguments.of("NUL in a reply is shown as ?", "421 a\0b\r\n",
                "ZConnected to " + IP + " but greeting failed.\nRemote host said: 421 a?b\n\0", QUIT),
            Arguments.of("continuation line shorter than its code",
                "220-\n22\n0 x\r\n" + OK + OK + OK + GO + OK,
                "r\0K" + IP + " accepted message.\nRemote host said: 250 ok\n\0",
                HELO + MAIL + RCPT + "DATA\r\n" + BODY + QUIT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stages")
    void replyAtEachStage(String name, String replies, String output, String sent) {
        FakePeers.Peer p = h.peers.peer(FakeResolver.ip(IP), replies);
        assertEquals(output, h.run("example.com", "a@b.c", "x@example.com"));
        assertEquals(sent, p.received());
        assertTrue(p.closed);
    }

    @ParameterizedTest(name = "chunk {0}")
    @MethodSource("chunks")
    void repliesInAnyFragmentsGiveTheSameResult(int chunk) {
        FakePeers.Peer p = h.peers.peer(FakeResolver.ip(IP),
                "220-a\r\n220 b\r\n250 h\r\n250 m\r\n250 r\r\n354 d\r\n250-x\r\n250 y\r\n");
        p.chunk = chunk;
        assertEquals("r\0K" + IP + " accepted message.\nRemote host said: 250-x\n250 y\n\0",
                h.run("example.com", "a@b.c", "x@example.com"));
    }

    static Stream<Integer> chunks() {
        return Stream.of(1, 2, 3, 4, 5, 127, 128, 129, 4096);
    }

    @Test
    void severalRecipientsReportedInOrderAndOneAcceptedIsEnough() {
        FakePeers.Peer p = h.peers.peer(FakeResolver.ip(IP),
                GREET + OK + OK + OK + "550 unknown\r\n" + OK + "451 later\r\n" + GO + OK);
        assertEquals("r\0h" + IP + " does not like recipient.\nRemote host said: 550 unknown\n\0r\0s"
                + IP + " does not like recipient.\nRemote host said: 451 later\n\0K" + IP
                + " accepted message.\nRemote host said: 250 ok\n\0",
                h.run("example.com", "a@b.c", "x@example.com", "y@example.com", "z@example.com", "w@example.com"));
        assertEquals(HELO + MAIL + RCPT + "RCPT TO:<y@example.com>\r\nRCPT TO:<z@example.com>\r\n"
                + "RCPT TO:<w@example.com>\r\nDATA\r\n" + BODY + QUIT, p.received());
    }

    @Test
    void allRecipientsRejectedGivesUpWithoutRemoteText() {
        h.peers.peer(FakeResolver.ip(IP), GREET + OK + OK + "550 a\r\n" + "450 b\r\n");
        assertEquals("h" + IP + " does not like recipient.\nRemote host said: 550 a\n\0s" + IP
                + " does not like recipient.\nRemote host said: 450 b\n\0DGiving up on " + IP + ".\n\0",
                h.run("example.com", "a@b.c", "x@example.com", "y@example.com"));
    }

    static Stream<Arguments> deaths() {
        String all = GREET + OK + OK + OK + GO + OK;
        String died = "ZConnected to " + IP + " but connection died. (#4.4.2)\n\0";
        return Stream.of(
            Arguments.of(0, died),
            Arguments.of(5, died),
            Arguments.of(GREET.length(), died),
            Arguments.of(GREET.length() + OK.length() * 2, died),
            Arguments.of(GREET.length() + OK.length() * 3, "r\0" + died),
            Arguments.of(GREET.length() + OK.length() * 3 + GO.length(),
                "r\0ZConnected to " + IP + " but connection died. Possible duplicate! (#4.4.2)\n\0"),
            Arguments.of(all.length() - 1,
                "r\0ZConnected to " + IP + " but connection died. Possible duplicate! (#4.4.2)\n\0"));
    }

    @ParameterizedTest(name = "end of stream after {0} reply bytes")
    @MethodSource("deaths")
    void connectionDiesAtEachStage(int after, String output) {
        FakePeers.Peer p = h.peers.peer(FakeResolver.ip(IP), GREET + OK + OK + OK + GO + OK);
        p.eofAfter = after;
        assertEquals(output, h.run("example.com", "a@b.c", "x@example.com"));
    }

    @Test
    void writeFailureWhileSendingTheMessageIsNotAPossibleDuplicate() {
        FakePeers.Peer p = h.peers.peer(FakeResolver.ip(IP), GREET + OK + OK + OK + GO + OK);
        p.writeFailAfter = (HELO + MAIL + RCPT + "DATA\r\n").length() + 3;
        byte[] big = new byte[5000];
        java.util.Arrays.fill(big, (byte) 'x');
        big[big.length - 1] = '\n';
        assertEquals("r\0ZConnected to " + IP + " but connection died. (#4.4.2)\n\0",
                h.run(big, "example.com", "a@b.c", "x@example.com"));
    }

    @Test
    void quitThatCannotBeWrittenIsAConnectionDeath() {
        FakePeers.Peer p = h.peers.peer(FakeResolver.ip(IP), "421 busy\r\n");
        p.writeFailAfter = 0;
        assertEquals("ZConnected to " + IP + " but connection died. (#4.4.2)\n\0",
                h.run("example.com", "a@b.c", "x@example.com"));
    }

    @Test
    void replyTextIsKeptUpTo5000Bytes() {
        StringBuilder sb = new StringBuilder("421-");
        while (sb.length() < 6000) {
            sb.append("0123456789");
        }
        sb.append("\r\n421 end\r\n");
        h.peers.peer(FakeResolver.ip(IP), sb.toString());
        String out = h.run("example.com", "a@b.c", "x@example.com");
        String prefix = "ZConnected to " + IP + " but greeting failed.\nRemote host said: ";
        assertEquals(prefix + sb.toString().replace("\r", "").substring(0, 5000) + "\0", out);
    }

    @Test
    void senderAndRecipientLocalPartsAreQuotedDomainsVerbatim() {
        FakePeers.Peer p = h.peers.peer(FakeResolver.ip(IP), GREET + OK + OK + OK + GO + OK);
        h.run("example.com", "a b@B.C", "x..y@Example.COM");
        assertTrue(p.received().startsWith(HELO + "MAIL FROM:<\"a b\"@B.C>\r\nRCPT TO:<\"x..y\"@Example.COM>\r\n"),
                p.received());
    }

    @Test
    void emptySenderAndAddressesWithoutAtAreSentAsTheyAre() {
        FakePeers.Peer p = h.peers.peer(FakeResolver.ip(IP), GREET + OK + OK + OK + GO + OK);
        h.run("example.com", "", "postmaster");
        assertTrue(p.received().startsWith(HELO + "MAIL FROM:<>\r\nRCPT TO:<postmaster>\r\n"), p.received());
    }

    @Test
    void timeoutsComeFromTheControlFiles() throws IOException {
        h.control("timeoutconnect", "7\n").control("timeoutremote", "33\n");
        h.peers.peer(FakeResolver.ip(IP), GREET + OK + OK + OK + GO + OK);
        h.run("example.com", "a@b.c", "x@example.com");
        assertEquals(7, h.peers.lastTimeoutConnect);
        assertEquals(33, h.peers.lastTimeoutRemote);
    }

    @Test
    void defaultTimeoutsAre60And1200() {
        h.peers.peer(FakeResolver.ip(IP), GREET + OK + OK + OK + GO + OK);
        h.run("example.com", "a@b.c", "x@example.com");
        assertEquals(60, h.peers.lastTimeoutConnect);
        assertEquals(1200, h.peers.lastTimeoutRemote);
    }
}
