package org.jqmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jqmail.control.CdbMake;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmtpdTest {
    /** 6 Sep 1995 04:46:54 UTC. */
    private static final long T = 810362814L;
    private static final String GREET = "220 mx.example ESMTP\r\n";

    @TempDir
    Path home;
    private final Map<String, String> env = new HashMap<>();
    private final FakeQmail qq = new FakeQmail();
    private int exit;

    @BeforeEach
    void controls() throws IOException {
        Files.createDirectories(home.resolve("control"));
        control("me", "mx.example\n");
        control("rcpthosts", "mx.example\n.sub.example\n");
        env.put("TCPREMOTEIP", "192.0.2.7");
        env.put("TCPLOCALIP", "192.0.2.1");
    }

    private void control(String name, String text) throws IOException {
        Files.write(home.resolve("control").resolve(name), text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Input that arrives in pieces of 1 to 3 bytes, as from a slow network. */
    private static InputStream trickle(byte[] data) {
        return new InputStream() {
            private int pos;
            private int k;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] buf, int off, int len) {
                if (pos >= data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 1 + (k++ % 3)), data.length - pos);
                System.arraycopy(data, pos, buf, off, n);
                pos += n;
                return n;
            }
        };
    }

    private String session(String input) {
        return session(b(input), false);
    }

    private String session(byte[] input, boolean chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = chunked ? trickle(input) : new ByteArrayInputStream(input);
        Conn conn = new Conn(in, out, sec -> { }, null, null);
        exit = new Smtpd(home, env, conn, qq, () -> T).run();
        return new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void sessionsThroughTheListenersCacheSeeEveryChange() throws IOException {
        ControlCache cache = ControlCache.forHome(home);
        String helo = "HELO x\r\nQUIT\r\n";
        assertEquals(GREET + "250 mx.example\r\n221 mx.example\r\n", cached(cache, helo));
        control("smtpgreeting", "greet.example\n");
        assertEquals("220 greet.example ESMTP\r\n250 greet.example\r\n221 greet.example\r\n",
                cached(cache, helo));
        Files.delete(home.resolve("control/smtpgreeting"));
        Files.delete(home.resolve("control/me"));
        assertEquals("421 unable to read controls (#4.3.0)\r\n", cached(cache, helo));
    }

    private String cached(ControlCache cache, String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Conn conn = new Conn(new ByteArrayInputStream(b(input)), out, sec -> { }, null, null);
        exit = new Smtpd(home, cache, env, conn, qq, () -> T).run();
        return new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void greetingThenQuit() {
        assertEquals(GREET + "221 mx.example\r\n", session("QUIT\r\n"));
        assertEquals(0, exit);
    }

    @Test
    void smtpgreetingOverridesMe() throws IOException {
        control("smtpgreeting", "greet.example hello there \t\n");
        assertEquals("220 greet.example hello there ESMTP\r\n250 greet.example hello there\r\n",
                session("HELO x\r\n"));
        assertEquals(1, exit);
    }

    @Test
    void noMeAndNoGreetingIs421() throws IOException {
        Files.delete(home.resolve("control/me"));
        assertEquals("421 unable to read controls (#4.3.0)\r\n", session("QUIT\r\n"));
        assertEquals(1, exit);
    }

    @Test
    void endOfInputEndsSilently() {
        assertEquals(GREET, session("NOOP"));
        assertEquals(1, exit);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "HELO dude|250 mx.example",
        "helo|250 mx.example",
        "RSET|250 flushed",
        "NOOP whatever|250 ok",
        "VRFY postmaster|252 send some mail, i'll try my best",
        "HELP|214 notqmail home page: https://notqmail.org",
        "EXPN list|502 unimplemented (#5.5.1)",
        "STARTTLS|502 unimplemented (#5.5.1)",
        "AUTH LOGIN|502 unimplemented (#5.5.1)",
        "MAILFROM:<a@b>|502 unimplemented (#5.5.1)",
        "RCPT TO:<a@mx.example>|503 MAIL first (#5.5.1)",
        "DATA|503 MAIL first (#5.5.1)",
        "MAIL FROM:<a@b>|250 ok",
        "mail <a@b>|250 ok",
    })
    void replyCatalogue(String cmd, String reply) {
        assertEquals(GREET + reply + "\r\n", session(cmd + "\r\n"));
    }

    @Test
    void ehloAnnouncesPipeliningAnd8bitmime() {
        assertEquals(GREET + "250-mx.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n", session("EHLO dude\r\n"));
    }

    @Test
    void dataWithoutRecipientIs503RcptFirst() {
        assertEquals(GREET + "250 ok\r\n503 RCPT first (#5.5.1)\r\n", session("MAIL FROM:<>\r\nDATA\r\n"));
    }

    @Test
    void rsetAndHeloForgetTheSender() {
        assertEquals(GREET + "250 ok\r\n250 flushed\r\n503 MAIL first (#5.5.1)\r\n250 ok\r\n"
                + "250 mx.example\r\n503 MAIL first (#5.5.1)\r\n",
                session("MAIL FROM:<a@b>\r\nRSET\r\nRCPT TO:<x@mx.example>\r\nMAIL FROM:<a@b>\r\n"
                        + "HELO x\r\nRCPT TO:<x@mx.example>\r\n"));
    }

    @Test
    void relayIsDeniedWithoutRelayclient() {
        assertEquals(GREET + "250 ok\r\n553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n"
                + "250 ok\r\n250 ok\r\n553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n"
                + "250 ok\r\n250 ok\r\n",
                session("MAIL FROM:<a@b>\r\nRCPT TO:<x@elsewhere.example>\r\nRCPT TO:<x@MX.Example>\r\n"
                        + "RCPT TO:<x@a.sub.example>\r\nRCPT TO:<x@sub.example>\r\nRCPT TO:<postmaster>\r\n"
                        + "RCPT TO:<x@a.b.sub.example>\r\n"));
    }

    @Test
    void emptyDomainIsNotAllowed() {
        assertEquals(GREET + "250 ok\r\n553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n",
                session("MAIL FROM:<a@b>\r\nRCPT TO:<x@>\r\n"));
    }

    @Test
    void withoutRcpthostsEveryDomainIsAllowed() throws IOException {
        Files.delete(home.resolve("control/rcpthosts"));
        assertEquals(GREET + "250 ok\r\n250 ok\r\n", session("MAIL FROM:<a@b>\r\nRCPT TO:<x@anywhere>\r\n"));
    }

    @Test
    void morercpthostsCdbIsConsulted() throws IOException {
        try (CdbMake m = new CdbMake(home.resolve("control/morercpthosts.cdb"))) {
            m.add(b("more.example"), new byte[0]);
            m.add(b(".deep.example"), new byte[0]);
            m.finish();
        }
        assertEquals(GREET + "250 ok\r\n250 ok\r\n250 ok\r\n553 sorry, that domain isn't in my list of allowed"
                + " rcpthosts (#5.7.1)\r\n",
                session("MAIL FROM:<a@b>\r\nRCPT TO:<x@More.Example>\r\nRCPT TO:<x@a.deep.example>\r\n"
                        + "RCPT TO:<x@deep.example>\r\n"));
    }

    @Test
    void relayclientIsAppendedAndSkipsRcpthosts() {
        env.put("RELAYCLIENT", "@fixme");
        session("MAIL FROM:<a@b>\r\nRCPT TO:<x@elsewhere.example>\r\nDATA\r\n.\r\n");
        assertEquals("x@elsewhere.example@fixme", new String(qq.recipients.get(0), StandardCharsets.ISO_8859_1));
    }

    @Test
    void badmailfromRejectsAtRcpt() throws IOException {
        control("badmailfrom", "spam@evil.example\n@worse.example\n# comment\n");
        assertEquals(GREET + "250 ok\r\n553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)\r\n"
                + "250 ok\r\n553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)\r\n"
                + "250 ok\r\n250 ok\r\n",
                session("MAIL FROM:<SPAM@evil.example>\r\nRCPT TO:<x@mx.example>\r\n"
                        + "MAIL FROM:<anyone@Worse.example>\r\nRCPT TO:<x@mx.example>\r\n"
                        + "MAIL FROM:<other@evil.example>\r\nRCPT TO:<x@mx.example>\r\n"));
    }

    @Test
    void addressOf899BytesIsAcceptedAnd900IsSyntaxError() {
        String a899 = "a".repeat(889) + "@mx.exampl";
        assertEquals(899, a899.length());
        assertEquals(GREET + "250 ok\r\n555 syntax error (#5.5.4)\r\n",
                session("MAIL FROM:<" + a899 + ">\r\nMAIL FROM:<" + a899 + "e>\r\n"));
    }

    @Test
    void localiphostReplacesOwnBracketedAddress() throws IOException {
        control("localiphost", "mx.example\n");
        env.put("RELAYCLIENT", "");
        session("MAIL FROM:<a@[0.0.0.0]>\r\nRCPT TO:<b@[0.0.0.256]>\r\nRCPT TO:<c@[0.0.0.0]x>\r\nDATA\r\n.\r\n");
        assertEquals("a@mx.example", new String(qq.sender, StandardCharsets.ISO_8859_1));
        assertEquals("b@mx.example", new String(qq.recipients.get(0), StandardCharsets.ISO_8859_1));
        assertEquals("c@[0.0.0.0]x", new String(qq.recipients.get(1), StandardCharsets.ISO_8859_1));
    }

    private String dialogue(String data) {
        return session("HELO relay.example\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@mx.example>\r\nDATA\r\n" + data);
    }

    private String message() {
        return new String(qq.message.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    private static final String RCVD = "Received: from unknown (HELO relay.example) (192.0.2.7)\n"
            + "  by 192.0.2.1 with SMTP; 6 Sep 1995 04:46:54 -0000\n";

    @Test
    void messageIsUnstuffedAndQueuedWithEnvelope() {
        String r = dialogue("Subject: hi\r\n\r\n..dot\r\n.\r\r\n.x\r\nbare\rcr\r\n.\r\nQUIT\r\n");
        assertEquals(GREET + "250 mx.example\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n"
                + "250 ok 810362814 qp 12345\r\n221 mx.example\r\n", r);
        assertEquals(RCVD + "Subject: hi\n\n.dot\n.\r\nx\nbare\rcr\n", message());
        assertEquals("a@b", new String(qq.sender, StandardCharsets.ISO_8859_1));
        assertEquals(1, qq.recipients.size());
        assertTrue(qq.closed);
    }

    @Test
    void messageSurvivesTrickledInput() {
        String in = "HELO relay.example\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@mx.example>\r\nDATA\r\n"
                + "a\r\n..b\r\n.\r\nQUIT\r\n";
        String r = session(b(in), true);
        assertEquals(GREET + "250 mx.example\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n"
                + "250 ok 810362814 qp 12345\r\n221 mx.example\r\n", r);
        assertEquals(RCVD + "a\n.b\n", message());
    }

    @Test
    void eightBitBodyPassesUnchanged() {
        String body = "Subject: \u00e9t\u00e9\r\n\r\n\u00ff\u0080\u0001\r\n";
        dialogue(body + ".\r\n");
        assertEquals(RCVD + "Subject: \u00e9t\u00e9\n\n\u00ff\u0080\u0001\n", message());
    }

    @Test
    void heloEqualToRemoteHostIsNotShown() {
        env.put("TCPREMOTEHOST", "Relay.Example");
        env.put("TCPREMOTEINFO", "joe");
        env.put("TCPLOCALHOST", "mx.example");
        dialogue(".\r\n");
        assertEquals("Received: from Relay.Example (joe@192.0.2.7)\n"
                + "  by mx.example with SMTP; 6 Sep 1995 04:46:54 -0000\n", message());
    }

    @Test
    void unsafeBytesInReceivedBecomeQuestionMarks() {
        session("HELO a b(c)\u00e9[1]\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@mx.example>\r\nDATA\r\n.\r\n");
        assertEquals("Received: from unknown (HELO a?b?c??[1]) (192.0.2.7)\n"
                + "  by 192.0.2.1 with SMTP; 6 Sep 1995 04:46:54 -0000\n", message());
    }

    @Test
    void bareLfInDataIs451AndCloses() {
        String r = dialogue("Subject: x\nrest\r\n.\r\nQUIT\r\n");
        assertEquals(GREET + "250 mx.example\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n"
                + "451 See https://cr.yp.to/docs/smtplf.html.\r\n", r);
        assertEquals(1, exit);
        assertTrue(qq.failed);
        assertTrue(qq.closed);
    }

    @Test
    void bareLfAfterDotIs451() {
        assertTrue(dialogue(".\n").endsWith("354 go ahead\r\n451 See https://cr.yp.to/docs/smtplf.html.\r\n"));
    }

    private static String hops(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i % 2 == 0 ? "Received: x\r\n" : "delivered-TO: y\r\n");
        }
        return sb.toString();
    }

    @Test
    void ninetyNineHopsPassAndAHundredLoop() {
        assertTrue(dialogue(hops(99) + "\r\nReceived: in body\r\n.\r\n").endsWith("250 ok 810362814 qp 12345\r\n"));
        assertTrue(dialogue(hops(100) + "\r\n.\r\n")
                .endsWith("354 go ahead\r\n554 too many hops, this message is looping (#5.4.6)\r\n"));
        assertTrue(qq.failed);
    }

    @Test
    void databytesLimitsStoredBytes() throws IOException {
        control("databytes", "10\n");
        // "0123456789" + LF = 11 stored bytes.
        assertTrue(dialogue("012345678\r\n.\r\n").endsWith("250 ok 810362814 qp 12345\r\n"));
        assertTrue(dialogue("0123456789\r\n.\r\nNOOP\r\n").endsWith(
                "354 go ahead\r\n552 sorry, that message size exceeds my databytes limit (#5.3.4)\r\n250 ok\r\n"));
    }

    @Test
    void databytesEnvironmentOverridesAndWrapsAt32Bits() throws IOException {
        control("databytes", "5\n");
        env.put("DATABYTES", "4294967296");
        assertTrue(dialogue("0123456789\r\n.\r\n").endsWith("250 ok 810362814 qp 12345\r\n"));
        env.put("DATABYTES", "4294967298");
        assertTrue(dialogue("0123456789\r\n.\r\n").endsWith("(#5.3.4)\r\n"));
    }

    @Test
    void queueStatusMapsToReply() {
        qq.status = "Dmail server permanently rejected message (#5.3.0)";
        assertTrue(dialogue(".\r\n").endsWith("354 go ahead\r\n554 mail server permanently rejected message (#5.3.0)\r\n"));
        qq.status = "Zqq temporary problem (#4.3.0)";
        assertTrue(dialogue(".\r\n").endsWith("354 go ahead\r\n451 qq temporary problem (#4.3.0)\r\n"));
    }

    @Test
    void queueThatCannotStartIsQqtFailureAndNeedsNewMail() {
        qq.refuse = true;
        assertEquals(GREET + "250 ok\r\n250 ok\r\n451 qqt failure (#4.3.0)\r\n503 MAIL first (#5.5.1)\r\n",
                session("MAIL FROM:<a@b>\r\nRCPT TO:<x@mx.example>\r\nDATA\r\nDATA\r\n"));
    }

    @Test
    void commandLineAtLimitIsServedAndBeyondIs421() {
        String pad = "x".repeat(Smtpd.LINE_MAX - "NOOP \r".length());
        assertEquals(GREET + "250 ok\r\n250 ok\r\n", session("NOOP " + pad + "\r\nNOOP\r\n"));
        assertEquals(GREET + "421 out of memory (#4.3.0)\r\n", session("NOOP " + pad + "x\r\nNOOP\r\n"));
        assertEquals(1, exit);
    }

    @Test
    void nulEndsTheCommandLine() {
        env.put("RELAYCLIENT", "");
        assertEquals(GREET + "250 ok\r\n250 ok\r\n250 ok\r\n",
                session("MAIL\0 FROM:<a@b>\r\nRCPT TO:<x@y\0z>\r\nNOOP\0\r\n"));
    }

    @Test
    void verbsAreCaseInsensitiveAndSpaceSeparatedOnly() {
        assertEquals(GREET + "250 ok\r\n502 unimplemented (#5.5.1)\r\n250 ok\r\n",
                session("nOoP\r\nNOOP\tx\r\nNOOP    \r\n"));
    }

    @Test
    void pipelinedRepliesArriveTogether() {
        String r = session("MAIL FROM:<a@b>\r\nRCPT TO:<x@mx.example>\r\nRCPT TO:<y@mx.example>\r\nDATA\r\n"
                + "hi\r\n.\r\nQUIT\r\n");
        assertEquals(GREET + "250 ok\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n250 ok 810362814 qp 12345\r\n"
                + "221 mx.example\r\n", r);
        assertEquals(2, qq.recipients.stream().map(x -> new String(x, StandardCharsets.ISO_8859_1))
                .collect(Collectors.toList()).size());
    }

    @Test
    void nullSenderAndBarePostmaster() {
        session("MAIL FROM:<>\r\nRCPT TO:<postmaster>\r\nDATA\r\n.\r\n");
        assertArrayEquals(new byte[0], qq.sender);
        assertEquals("postmaster", new String(qq.recipients.get(0), StandardCharsets.ISO_8859_1));
    }

    @Test
    void noTransactionIsLeftOpen() {
        dialogue("unterminated");
        assertTrue(qq.closed);
        assertTrue(qq.failed);
        assertFalse(qq.opens == 0);
        assertNull(null);
    }
}
