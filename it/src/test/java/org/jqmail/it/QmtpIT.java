package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * qmail-qmtpd under Debian's tcpserver with qmail-smtpd's rules ({@link ReceiveRig}: 127.0.0.1
 * relays, 127.0.0.2 does not, 127.0.0.4 has DATABYTES=100) and qmail-queued behind it: whole
 * answers compared byte for byte, queued messages byte for byte, and the exit status of every
 * malformed session from tcpserver's log (doc/QMTP.md §2).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QmtpIT {
    static final Pattern OK = Pattern.compile("(\\d+):Kok (\\d+) qp (\\d+),");

    ReceiveRig rig;

    @BeforeAll
    void start() throws Exception {
        rig = ReceiveRig.create();
        rig.smtpd = rig.startTcpserver(null, rig.home.bin("qmail-qmtpd").toString());
        rig.port = ReceiveRig.awaitPort(rig.smtpd);
    }

    @AfterAll
    void stop() throws IOException {
        if (rig != null) {
            rig.close();
        }
    }

    /** One QMTP message: the body with its leading 10 or 13, the sender, the recipients. */
    static String message(String body, String sender, String... rcpts) {
        StringBuilder r = new StringBuilder();
        for (String a : rcpts) {
            r.append(ReceiveRig.netstring(a));
        }
        return ReceiveRig.netstring(body) + ReceiveRig.netstring(sender) + ReceiveRig.netstring(r.toString());
    }

    /** The qps of the {@code Kok} answers in {@code answer}, checking each one's length. */
    static List<Long> accepted(String answer) {
        List<Long> qps = new ArrayList<>();
        Matcher m = OK.matcher(answer);
        while (m.find()) {
            assertEquals(Integer.parseInt(m.group(1)), m.group().length() - m.group(1).length() - 2, answer);
            qps.add(Long.parseLong(m.group(3)));
        }
        return qps;
    }

    /** tcpserver's exit status line for the last session, as {@code status N}. */
    String lastStatus(int sessions) throws Exception {
        TestHome.await("tcpserver's end line", () -> rig.smtpd.err().split("tcpserver: end ", -1).length > sessions,
                Duration.ofSeconds(30));
        String[] ends = rig.smtpd.err().split("tcpserver: end ", -1);
        String last = ends[ends.length - 1];
        return last.substring(last.indexOf("status"), last.indexOf('\n'));
    }

    @Test
    void aMessageWithLfLinesIsQueuedByteForByte() throws Exception {
        String body = "\nSubject: qmtp\nX-8bit: \u00e9\u00ff\n\n.leading dot\nbare\rcr\n\u0001\u0000\u00fe\nlast";
        String answer = rig.exchange("127.0.0.2", message(body, "me@example.org", "joe@test.example", "Sue@TEST.example"));
        List<Long> qps = accepted(answer);
        assertEquals(2, qps.size(), answer);
        assertEquals(qps.get(0), qps.get(1));
        String ok = answer.substring(0, answer.length() / 2);
        assertEquals(ok + ok, answer);
        long qp = qps.get(0);
        assertEquals("u" + ReceiveRig.smtpdUid() + "\0p" + qp + "\0Fme@example.org\0Tjoe@test.example\0"
                + "TSue@TEST.example\0", rig.envelopeText(qp));
        assertEquals("Received: (qmail " + qp + " invoked from network); DATE\n"
                + "Received: from unknown (127.0.0.2)\n"
                + "  by test.example with QMTP; DATE\n"
                + body.substring(1), rig.queuedText(qp));
    }

    @Test
    void aMessageWithCrlfLinesHasItsCrlfTurnedIntoLf() throws Exception {
        String answer = rig.exchange("127.0.0.2", message("\rSubject: dos\r\n\r\nbare\rcr\r\r\nend\r", "", "joe@test.example"));
        long qp = accepted(answer).get(0);
        assertEquals("Received: (qmail " + qp + " invoked from network); DATE\n"
                + "Received: from unknown (127.0.0.2)\n"
                + "  by test.example with QMTP; DATE\n"
                + "Subject: dos\n\nbare\rcr\r\nend\r", rig.queuedText(qp));
        assertTrue(rig.envelopeText(qp).endsWith("\0F\0Tjoe@test.example\0"), rig.envelopeText(qp));
    }

    @Test
    void twoMessagesInOneConnectionAreAnsweredInTurn() throws Exception {
        String answer = rig.exchange("127.0.0.2", message("\na\n", "x@y", "joe@test.example")
                + message("\nb\n", "x@y", "joe@test.example"));
        List<Long> qps = accepted(answer);
        assertEquals(2, qps.size(), answer);
        assertTrue(rig.queuedText(qps.get(0)).endsWith("DATE\na\n"));
        assertTrue(rig.queuedText(qps.get(1)).endsWith("DATE\nb\n"));
    }

    @Test
    void relayingIsRefusedOutsideRcpthostsWithoutRelayclient() throws Exception {
        String answer = rig.exchange("127.0.0.2", message("\nrelay\n", "me@example.org", "joe@elsewhere.example",
                "joe@test.example", "x@sub.test.example.org"));
        String refused = "66:Dsorry, that domain isn't in my list of allowed rcpthosts (#5.7.1),";
        assertTrue(answer.startsWith(refused), answer);
        assertTrue(answer.endsWith(refused), answer);
        String middle = answer.substring(refused.length(), answer.length() - refused.length());
        assertTrue(OK.matcher(middle).matches(), answer);
        long qp = accepted(middle).get(0);
        assertTrue(rig.envelopeText(qp).endsWith("\0Fme@example.org\0Tjoe@test.example\0"), rig.envelopeText(qp));

        String all = rig.exchange("127.0.0.2", message("\nrelay\n", "me@example.org", "joe@elsewhere.example"));
        assertEquals(refused, all);
    }

    @Test
    void aRelayClientRelaysWithRelayclientAppended() throws Exception {
        String answer = rig.exchange("127.0.0.1", message("\nrelay\n", "me@example.org", "joe@elsewhere.example"));
        long qp = accepted(answer).get(0);
        assertTrue(rig.envelopeText(qp).endsWith("\0Fme@example.org\0Tjoe@elsewhere.example\0"), rig.envelopeText(qp));
    }

    @Test
    void databytesCountsTheStoredBytes() throws Exception {
        String exceeds = "61:Dsorry, that message size exceeds my databytes limit (#5.3.4),";
        String hundred = "x".repeat(99) + "\n";
        assertEquals(1, accepted(rig.exchange("127.0.0.4", message("\n" + hundred, "a@b", "joe@test.example"))).size());
        assertEquals(exceeds, rig.exchange("127.0.0.4", message("\n" + hundred + "y", "a@b", "joe@test.example")));
        // CRLF counts once it is LF: 100 stored bytes from 101 sent.
        String dos = "x".repeat(98) + "\r\n" + "\n";
        assertEquals(1, accepted(rig.exchange("127.0.0.4", message("\r" + dos, "a@b", "joe@test.example"))).size());
        assertEquals(exceeds + exceeds, rig.exchange("127.0.0.4", message("\r" + dos + "z", "a@b", "joe@test.example",
                "sue@test.example")));
    }

    @Test
    void badAddressesGetQmailsAnswers() throws Exception {
        String cant = "46:Dsorry, I can't handle that recipient (#5.1.3),";
        String sender = "29:Dunacceptable sender (#5.1.7),";
        assertEquals(cant + cant, rig.exchange("127.0.0.1", message("\nx\n", "a@b", "a\0b@test.example",
                "x".repeat(990) + "@test.example")));
        assertEquals(sender + sender, rig.exchange("127.0.0.2", message("\nx\n", "a\0@b", "joe@test.example",
                "sue@test.example")));
        assertEquals(sender, rig.exchange("127.0.0.2", message("\nx\n", "a".repeat(1000), "joe@test.example")));
        String ok = rig.exchange("127.0.0.2", message("\nx\n", "a".repeat(999), "x".repeat(999)));
        assertEquals(1, accepted(ok).size(), ok);
    }

    @Test
    void malformedNetstringsEndTheSessionWith100AndNoAnswer() throws Exception {
        String good = message("\nx\n", "a@b", "joe@test.example");
        // (A malformed message after a good one in the same read loses the good one's answer
        // too, as in qmail: answers go out only when qmail-qmtpd next reads from the network.)
        for (String bad : List.of("x:", "0:,", "4:\tabc,", "3:\nab;", "3:\nab,3:a@b;", "3:\nab,3:a@b,5:2:ab;",
                "3:\nab,3:a@b,5:9:abc,", "3:\nab,3:a@b,4:1:a,;")) {
            int before = rig.tcpserverEnds();
            String answer = rig.exchange("127.0.0.2", bad);
            assertEquals("", answer, bad);
            assertEquals("status 25600", lastStatus(before + 1), bad);
        }
        int before = rig.tcpserverEnds();
        assertEquals("", rig.exchange("127.0.0.2", "2000000010:"));
        assertEquals("status 28416", lastStatus(before + 1));
        before = rig.tcpserverEnds();
        assertEquals("", rig.exchange("127.0.0.2", good.substring(0, 10)));
        assertEquals("status 0", lastStatus(before + 1));
    }
}
