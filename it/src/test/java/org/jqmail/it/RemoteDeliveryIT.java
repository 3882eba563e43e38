package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole remote path: SMTP in from 127.0.0.1 (RELAYCLIENT from tcp.smtp), qmail-queued,
 * qmail-send, qmail-rspawn (in-process deliveries), DNS from dnsmasq, out to scripted SMTP
 * peers; qmail-send's log lines for a success, a deferral and a failure, and the QSBMF bounce
 * that carries the remote host's text back to the local sender.
 */
@Tag("root")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteDeliveryIT {
    static final String JOE = "rdljoe";
    static final String D = TestHome.FQDN;
    static final String DATE = Qsbmf.DATE;

    TestHome home;
    Dnsmasq dns;
    MailSystem sys;
    Path joe;
    int port;

    @BeforeAll
    void startSystem() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: real users and privilege separation");
        home = TestHome.create();
        Assumptions.assumeTrue(home.has("qmail-start") && home.has("qmail-local") && home.has("qmail-smtpd-listener")
                && home.has("qmail-rspawn"), "the delivery programs are not all built");
        dns = Dnsmasq.start(home.dir(), List.of("example.test"), List.of(
                "mx-host=ok.example.test,mx.ok.example.test,10", "host-record=mx.ok.example.test,127.0.0.2",
                "mx-host=bounce.example.test,mx.bounce.example.test,10", "host-record=mx.bounce.example.test,127.0.0.3",
                "mx-host=defer.example.test,mx.defer.example.test,10", "host-record=mx.defer.example.test,127.0.0.4"));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            port = s.getLocalPort();
        }
        joe = TestHome.ensureUser(JOE);
        MailSystem.emptyHome(joe);
        MailSystem.maildir(JOE, joe.resolve("Maildir"));
        home.usersAssign("=" + JOE + ":" + JOE + ":" + TestHome.uid(JOE) + ":" + TestHome.gid(JOE) + ":" + joe
                + ":::\n.\n");
        sys = new MailSystem(home).env("JQMAIL_DNS_SERVER", dns.server()).env("JQMAIL_SMTP_PORT", Integer.toString(port));
        sys.start();
    }

    @AfterAll
    void stopSystem() throws Exception {
        if (sys != null) {
            sys.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (home != null) {
            home.close();
        }
    }

    /**
     * Sends one message by SMTP and waits for qmail-send's log of its whole life; returns the
     * lines about this message and its deliveries, each followed by the status line logged
     * right after it (other messages' lines, such as another test's bounce, are left out).
     */
    List<String> deliver(String rcpt, String data) throws Exception {
        String reply = sys.smtp(JOE + "@" + D, List.of(rcpt), data);
        String qp = reply.substring(reply.lastIndexOf(' ') + 1);
        TestHome.await("the end of the message queued by qp " + qp, () -> !sys.messageLog(qp).isEmpty(),
                Duration.ofSeconds(90));
        List<String> all = sys.messageLog(qp);
        String id = all.get(0).substring("new msg ".length());
        List<String> mine = new java.util.ArrayList<>();
        java.util.Set<String> deliveries = new java.util.HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            String l = all.get(i);
            java.util.regex.Matcher m = Pattern.compile("starting delivery (\\d+): msg " + id + " .*").matcher(l);
            if (m.matches()) {
                deliveries.add(m.group(1));
            }
            String d = l.startsWith("delivery ") ? l.substring(9, l.indexOf(':')) : null;
            boolean ours = l.equals("new msg " + id) || l.startsWith("info msg " + id + ":") || m.matches()
                    || (d != null && deliveries.contains(d)) || l.equals("end msg " + id)
                    || l.startsWith("bounce msg " + id + " ");
            if (ours) {
                mine.add(l);
                if (i + 1 < all.size() && all.get(i + 1).startsWith("status: ") && (m.matches() || d != null)) {
                    mine.add(all.get(i + 1));
                }
            }
        }
        return mine;
    }

    static void matches(String regex, String line) {
        assertTrue(line.matches(regex), line + " !~ " + regex);
    }

    @Test
    void relayedMessageIsDeliveredToTheMxWithTheLogLinesOfTheSpec() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.on("127.0.0.2", port, "220 mx.ok.example.test ESMTP\r\n",
                "250 hi\r\n", "250 sender ok\r\n", "250 rcpt ok\r\n", "354 go\r\n", "250 2.0.0 queued as 77\r\n")) {
            List<String> log = deliver("far@ok.example.test", "Subject: out\n\n.dot line\nbody\n");
            String id = log.get(0).substring("new msg ".length());
            assertEquals(7, log.size(), log.toString());
            matches("info msg " + id + ": bytes \\d+ from <" + JOE + "@" + D + "> qp \\d+ uid \\d+", log.get(1));
            matches("starting delivery (\\d+): msg " + id + " to remote far@ok.example.test", log.get(2));
            // Local deliveries (another test's bounce) may be running meanwhile.
            matches("status: local \\d+/10 remote 1/20", log.get(3));
            String n = log.get(2).replaceAll("starting delivery (\\d+):.*", "$1");
            assertEquals("delivery " + n + ": success: 127.0.0.2_accepted_message./Remote_host_said:_250_2.0.0_queued_as_77/",
                    log.get(4));
            matches("status: local \\d+/10 remote 0/20", log.get(5));
            assertEquals("end msg " + id, log.get(6));
            String wire = peer.received(0);
            assertTrue(Pattern.compile("HELO " + D + "\r\nMAIL FROM:<" + JOE + "@" + D + ">\r\n"
                    + "RCPT TO:<far@ok.example.test>\r\nDATA\r\n"
                    + "Received: \\(qmail \\d+ invoked from network\\); " + DATE + "\r\n"
                    + "Received: from [^\r]*\r\n  by [^\r]* with SMTP; " + DATE + "\r\n"
                    + "Subject: out\r\n\r\n\\.\\.dot line\r\nbody\r\n\\.\r\nQUIT\r\n").matcher(wire).matches(), wire);
        }
    }

    @Test
    void permanentRcptRejectionBouncesWithTheRemoteText() throws Exception {
        int before = MailSystem.newMail(joe.resolve("Maildir")).size();
        try (ScriptedPeer peer = ScriptedPeer.on("127.0.0.3", port, "220 mx.bounce.example.test\r\n",
                "250 hi\r\n", "250 sender ok\r\n", "550 5.1.1 <far@bounce.example.test>: no such user\r\n")) {
            List<String> log = deliver("far@bounce.example.test", "Subject: doomed\n\nbody\n");
            String id = log.get(0).substring("new msg ".length());
            String n = log.get(2).replaceAll("starting delivery (\\d+):.*", "$1");
            assertEquals("delivery " + n + ": failure: 127.0.0.3_does_not_like_recipient./Remote_host_said:_550_5.1.1"
                    + "_<far@bounce.example.test>:_no_such_user/Giving_up_on_127.0.0.3./", log.get(4));
            matches("bounce msg " + id + " qp \\d+", log.get(log.size() - 2));
        }
        String m = MailSystem.awaitMail(joe.resolve("Maildir"), before + 1).get(before);
        String expect = "Return-Path: <>\n"
                + "Delivered-To: " + JOE + "@" + D + "\n"
                + "Received: \\(qmail \\d+ invoked for bounce\\); " + DATE + "\n"
                + Qsbmf.notice(D, JOE + "@" + D, "far@bounce.example.test", "127.0.0.3 does not like recipient.\n"
                        + "Remote host said: 550 5.1.1 <far@bounce.example.test>: no such user\n"
                        + "Giving up on 127.0.0.3.")
                + Pattern.quote("Return-Path: <" + JOE + "@" + D + ">\n")
                + "Received: \\(qmail \\d+ invoked from network\\); " + DATE + "\n"
                + "Received: from [^\n]*\n  by [^\n]* with SMTP; " + DATE + "\n"
                + "Subject: doomed\n\nbody\n";
        assertTrue(Pattern.compile(expect).matcher(m).matches(), m);
    }

    @Test
    void temporaryRcptRejectionIsADeferral() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.on("127.0.0.4", port, "220 mx.defer.example.test\r\n",
                "250 hi\r\n", "250 sender ok\r\n", "451 4.7.1 greylisted\r\n")) {
            String reply = sys.smtp(JOE + "@" + D, List.of("far@defer.example.test"), "Subject: later\n\nbody\n");
            String line = sys.awaitLog("delivery ", "deferral: 127.0.0.4", Duration.ofSeconds(90));
            matches("delivery \\d+: deferral: 127.0.0.4_does_not_like_recipient./Remote_host_said:_451_4.7.1_greylisted/"
                    + "Giving_up_on_127.0.0.4./", line);
            assertTrue(reply.startsWith("250 ok"), reply);
        }
    }
}
