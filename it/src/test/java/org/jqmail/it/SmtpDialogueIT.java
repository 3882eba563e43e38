package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The SMTP dialogue contract (qmail-smtpd(8), qmail's TEST.receive), run over a real socket against
 * each way of running qmail-smtpd: the JVM qmail-smtpd under Debian's tcpserver
 * ({@link SmtpDialogueTcpserverIT}), tcpserver handing each connection over to a listener
 * ({@link SmtpDialogueHandoffIT}, doc/HANDOFF.md), and the built-in listener
 * ({@link SmtpDialogueListenerIT}), with qmail-queued behind all three.
 * Every assertion compares whole reply lines, and a queued message byte for byte with what
 * qmail-queue would have written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SmtpDialogueIT {
    static final String GREETING = "220 test.example ESMTP";
    static final Pattern DATE = Pattern.compile(Qsbmf.DATE);
    static final Pattern ACCEPT = Pattern.compile("250 ok (\\d+) qp (\\d+)");

    ReceiveRig rig;

    abstract ReceiveRig.Mode mode();

    @BeforeAll
    void start() throws Exception {
        rig = ReceiveRig.create(mode());
    }

    @AfterAll
    void stop() throws IOException {
        if (rig != null) {
            rig.close();
        }
    }

    @AfterEach
    void defaults() throws IOException {
        Files.deleteIfExists(rig.home.control().resolve("databytes"));
    }

    private Smtp helo(String from) throws IOException {
        Smtp s = rig.connect(from);
        assertEquals(GREETING, s.reply());
        assertEquals("250 test.example", s.cmd("HELO relay.example"));
        return s;
    }

    /** Sends a whole transaction; returns the reply to the end of data. */
    private String transaction(Smtp s, String from, String to, String data) throws IOException {
        assertEquals("250 ok", s.cmd("MAIL FROM:<" + from + ">"));
        assertEquals("250 ok", s.cmd("RCPT TO:<" + to + ">"));
        assertEquals("354 go ahead", s.cmd("DATA"));
        s.send(data);
        return s.reply();
    }

    private static long qp(String reply) {
        Matcher m = ACCEPT.matcher(reply);
        assertTrue(m.matches(), reply);
        return Long.parseLong(m.group(2));
    }

    @Test
    void greetingHeloEhloAndQuit() throws IOException {
        try (Smtp s = rig.connect()) {
            assertEquals(GREETING, s.reply());
            assertEquals("250 test.example", s.cmd("HELO dude"));
            assertEquals("250-test.example\n250-PIPELINING\n250 8BITMIME", s.cmd("EHLO dude"));
            assertEquals("250 ok", s.cmd("NOOP"));
            assertEquals("252 send some mail, i'll try my best", s.cmd("VRFY joe"));
            assertEquals("214 notqmail home page: https://notqmail.org", s.cmd("HELP"));
            assertEquals("502 unimplemented (#5.5.1)", s.cmd("EXPN list"));
            assertEquals("502 unimplemented (#5.5.1)", s.cmd("STARTTLS"));
            assertEquals("221 test.example", s.cmd("QUIT"));
            assertTrue(s.closedByServer());
        }
    }

    @Test
    void commandsOutOfOrder() throws IOException {
        try (Smtp s = helo("127.0.0.1")) {
            assertEquals("503 MAIL first (#5.5.1)", s.cmd("RCPT TO:<joe@test.example>"));
            assertEquals("503 MAIL first (#5.5.1)", s.cmd("DATA"));
            assertEquals("250 ok", s.cmd("MAIL FROM:<me@example.org>"));
            assertEquals("503 RCPT first (#5.5.1)", s.cmd("DATA"));
            assertEquals("250 ok", s.cmd("MAIL FROM:<me@example.org>"));
            assertEquals("250 flushed", s.cmd("RSET"));
            assertEquals("503 MAIL first (#5.5.1)", s.cmd("RCPT TO:<joe@test.example>"));
            assertEquals("555 syntax error (#5.5.4)", s.cmd("MAIL FROM:<" + "a".repeat(900) + ">"));
        }
    }

    @Test
    void relayIsDeniedWithoutRelayclient() throws IOException {
        try (Smtp s = helo("127.0.0.2")) {
            assertEquals("250 ok", s.cmd("MAIL FROM:<me@example.org>"));
            assertEquals("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
                    s.cmd("RCPT TO:<joe@elsewhere.example>"));
            assertEquals("250 ok", s.cmd("RCPT TO:<joe@test.example>"));
            assertEquals("250 ok", s.cmd("RCPT TO:<joe@TEST.example>"));
        }
    }

    @Test
    void relayIsAllowedWithRelayclientFromTheRules() throws IOException {
        try (Smtp s = helo("127.0.0.1")) {
            String r = transaction(s, "me@example.org", "joe@elsewhere.example", "Subject: relay\r\n\r\nx\r\n.\r\n");
            ReceiveRig.Queued q = rig.byQp(qp(r)).orElseThrow();
            assertTrue(q.todoText().endsWith("\0Fme@example.org\0Tjoe@elsewhere.example\0"), q.todoText());
        }
    }

    @Test
    void deniedClientIsClosedWithoutGreeting() throws IOException {
        try (Smtp s = rig.connect("127.0.0.3")) {
            assertEquals(null, s.line());
        }
    }

    @Test
    void nullSenderAndBarePostmaster() throws IOException {
        try (Smtp s = helo("127.0.0.2")) {
            String r = transaction(s, "", "postmaster", "Subject: bounce\r\n\r\nx\r\n.\r\n");
            ReceiveRig.Queued q = rig.byQp(qp(r)).orElseThrow();
            assertTrue(q.todoText().endsWith("\0F\0Tpostmaster\0"), q.todoText());
        }
    }

    @Test
    void messageIsByteExactInTheQueue() throws IOException {
        String data = "Subject: exact\r\nX-8bit: \u00e9\u00ff\r\n\r\n..leading dot\r\n.\r\r\nbare\rcr\r\n\u0001\u0080\u00fe\r\n"
                + "last line\r\n.\r\n";
        try (Smtp s = helo("127.0.0.1")) {
            long qp = qp(transaction(s, "me@example.org", "joe@test.example", data));
            ReceiveRig.Queued q = rig.byQp(qp).orElseThrow();
            assertEquals("u" + ReceiveRig.smtpdUid() + "\0p" + qp + "\0Fme@example.org\0Tjoe@test.example\0",
                    q.todoText());
            String mess = DATE.matcher(q.messText()).replaceAll("DATE");
            assertEquals("Received: (qmail " + qp + " invoked from network); DATE\n"
                    + "Received: from unknown (HELO relay.example) (127.0.0.1)\n"
                    + "  by test.example with SMTP; DATE\n"
                    + "Subject: exact\nX-8bit: \u00e9\u00ff\n\n.leading dot\n.\r\nbare\rcr\n\u0001\u0080\u00fe\n"
                    + "last line\n", mess);
            Path intd = rig.home.queue().resolve("intd").resolve(Long.toString(q.id()));
            assertEquals(q.todoText(), Files.readString(intd, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void bareLfIsRefusedAndTheConnectionClosed() throws IOException {
        try (Smtp s = helo("127.0.0.1")) {
            String r = transaction(s, "me@example.org", "joe@test.example", "Subject: lf\nbody\r\n.\r\n");
            assertEquals("451 See https://cr.yp.to/docs/smtplf.html.", r);
            assertTrue(s.closedByServer());
        }
    }

    @Test
    void databytesFromControlAndFromTheRules() throws IOException {
        rig.home.control("databytes", "20\n");
        try (Smtp s = helo("127.0.0.1")) {
            assertTrue(ACCEPT.matcher(transaction(s, "a@b", "joe@test.example", "0123456789012345678\r\n.\r\n"))
                    .matches());
            assertEquals("552 sorry, that message size exceeds my databytes limit (#5.3.4)",
                    transaction(s, "a@b", "joe@test.example", "01234567890123456789\r\n.\r\n"));
            assertEquals("250 ok", s.cmd("NOOP"));
        }
        try (Smtp s = helo("127.0.0.4")) {
            assertEquals("552 sorry, that message size exceeds my databytes limit (#5.3.4)",
                    transaction(s, "a@b", "joe@test.example", "x".repeat(200) + "\r\n.\r\n"));
        }
    }

    @Test
    void tooManyHops() throws IOException {
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            h.append(i % 2 == 0 ? "Received: from x\r\n" : "Delivered-To: y\r\n");
        }
        try (Smtp s = helo("127.0.0.1")) {
            assertEquals("554 too many hops, this message is looping (#5.4.6)",
                    transaction(s, "a@b", "joe@test.example", h + "\r\nbody\r\n.\r\n"));
        }
    }

    @Test
    void pipelinedCommandsGetTheirRepliesInOrder() throws IOException {
        try (Smtp s = rig.connect()) {
            assertEquals(GREETING, s.reply());
            s.send("EHLO client\r\nMAIL FROM:<a@b>\r\nRCPT TO:<one@test.example>\r\nRCPT TO:<two@test.example>\r\n"
                    + "RCPT TO:<" + "x".repeat(900) + ">\r\nDATA\r\nSubject: piped\r\n\r\nbody\r\n.\r\nRSET\r\n"
                    + "MAIL FROM:<c@d>\r\nNOOP\r\nQUIT\r\n");
            assertEquals("250-test.example\n250-PIPELINING\n250 8BITMIME", s.reply());
            assertEquals("250 ok", s.reply());
            assertEquals("250 ok", s.reply());
            assertEquals("250 ok", s.reply());
            assertEquals("555 syntax error (#5.5.4)", s.reply());
            assertEquals("354 go ahead", s.reply());
            long qp = qp(s.reply());
            assertEquals("250 flushed", s.reply());
            assertEquals("250 ok", s.reply());
            assertEquals("250 ok", s.reply());
            assertEquals("221 test.example", s.reply());
            assertTrue(rig.byQp(qp).orElseThrow().todoText()
                    .endsWith("\0Fa@b\0Tone@test.example\0Ttwo@test.example\0"));
        }
    }
}
