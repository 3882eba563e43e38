package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * bin/qmail-remote as a real process against a real DNS server (dnsmasq on a loopback port)
 * and real SMTP peers (GreenMail, and a scripted peer for the reply codes GreenMail never
 * sends): every case's output compared to the byte (qmail-remote(8)), the exit status always 0, the
 * bytes that reach the peer, and the timeout table through qmail-tcpto and qmail-tcpok.
 *
 * <p>The peers listen on 127.0.0.2–127.0.0.6 (127.0.0.1 is one of this machine's addresses, so
 * qmail-remote refuses an MX pointing there) on one ephemeral port, which
 * {@code JQMAIL_SMTP_PORT} makes qmail-remote use instead of 25.
 */
class RemoteIT {
    static TestHome home;
    static Dnsmasq dns;
    static int port;
    static Map<String, String> env;

    static final String MSG = "From: a@b.test\nSubject: remote it\n\nhello\n";

    @BeforeAll
    static void setUp() throws Exception {
        home = TestHome.create();
        List<String> rec = new ArrayList<>(List.of(
                "mx-host=mx.example.test,mx1.example.test,10",
                "host-record=mx1.example.test,127.0.0.2,::2",
                "mx-host=fallback.example.test,dead.example.test,10",
                "mx-host=fallback.example.test,alive.example.test,20",
                "host-record=dead.example.test,127.0.0.4",
                "host-record=alive.example.test,127.0.0.3",
                "mx-host=self.example.test,mx-self.example.test,10",
                "host-record=mx-self.example.test,127.0.0.1",
                "host-record=plain.example.test,127.0.0.3",
                "host-record=v6only.example.test,::1",
                "mx-host=silent.example.test,mx.silent.example.test,10",
                "host-record=mx.silent.example.test,127.0.0.5",
                "mx-host=blackhole.example.test,mx.blackhole.example.test,10",
                "host-record=mx.blackhole.example.test,127.0.0.6",
                "mx-host=big.example.test,the-best-exchanger-with-a-long-name.big.example.test,5",
                "host-record=the-best-exchanger-with-a-long-name.big.example.test,127.0.0.2"));
        for (int i = 1; i <= 30; i++) {
            String n = "exchanger-number-" + i + "-with-a-rather-long-name.big.example.test";
            rec.add("mx-host=big.example.test," + n + "," + (10 + i));
            rec.add("host-record=" + n + ",127.0.1." + i);
        }
        dns = Dnsmasq.start(home.dir(), List.of("example.test"), rec);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            port = s.getLocalPort();
        }
        env = new HashMap<>(System.getenv());
        env.put("JQMAIL_DNS_SERVER", dns.server());
        env.put("JQMAIL_SMTP_PORT", Integer.toString(port));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (dns != null) {
            dns.close();
        }
        if (home != null) {
            home.close();
        }
    }

    @BeforeEach
    void resetControls() throws IOException {
        for (String c : List.of("smtproutes", "timeoutconnect", "timeoutremote")) {
            Files.deleteIfExists(home.control().resolve(c));
        }
        home.control("helohost", "helo.test.example\n");
        Files.write(home.queue().resolve("lock/tcpto"), new byte[1024]);
    }

    /** Runs bin/qmail-remote; asserts exit 0 and returns its stdout and stderr together. */
    static String remote(String message, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.bin("qmail-remote").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(message.getBytes(ISO_8859_1));
        } catch (IOException e) {
            // It did not read the message (failure before DATA).
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "qmail-remote exit status");
        return new String(out, ISO_8859_1);
    }

    static String tool(String name) throws IOException {
        TestHome.Result r = home.run(null, name);
        return r.exit() + ":" + r.outText() + r.errText();
    }

    static GreenMail greenMail(String addr, int p) {
        GreenMail g = new GreenMail(new ServerSetup(p, addr, ServerSetup.PROTOCOL_SMTP));
        g.start();
        return g;
    }

    @Test
    void deliveryViaMx() throws Exception {
        GreenMail g = greenMail("127.0.0.2", port);
        try {
            assertEquals("r\0K127.0.0.2 accepted message.\nRemote host said: 250 OK\n\0",
                    remote(MSG, "mx.example.test", "a@b.test", "joe@mx.example.test"));
            MimeMessage[] m = g.getReceivedMessages();
            assertEquals(1, m.length);
            assertEquals("remote it", m[0].getSubject());
            // GreenMail files a message under a user made for each envelope recipient.
            assertTrue(g.getUserManager().getUserByEmail("joe@mx.example.test") != null);
        } finally {
            g.stop();
        }
    }

    @Test
    void deliveryViaSmtproutesToAPortOfItsOwn() throws Exception {
        int p2;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            p2 = s.getLocalPort();
        }
        GreenMail g = greenMail("127.0.0.1", p2);
        try {
            home.control("smtproutes", "# relay everything for routed.test\nrouted.test:[127.0.0.1]:" + p2 + "\n");
            assertEquals("r\0K127.0.0.1 accepted message.\nRemote host said: 250 OK\n\0",
                    remote(MSG, "routed.test", "a@b.test", "joe@routed.test"));
            assertEquals(1, g.getReceivedMessages().length);
        } finally {
            g.stop();
        }
    }

    @Test
    void fallsBackToTheNextMx() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.on("127.0.0.3", port, "220 alive\r\n", "250 h\r\n", "250 m\r\n",
                "250 r\r\n", "354 go\r\n", "250 queued as 9\r\n")) {
            String out = remote(MSG, "fallback.example.test", "a@b.test", "joe@fallback.example.test");
            assertEquals("r\0K127.0.0.3 accepted message.\nRemote host said: 250 queued as 9\n\0", out);
        }
    }

    @Test
    void hostWithoutMxUsesItsAddress() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.on("127.0.0.3", port, "220 plain\r\n")) {
            assertEquals("r\0K127.0.0.3 accepted message.\nRemote host said: 250 ok\n\0",
                    remote(MSG, "plain.example.test", "a@b.test", "joe@plain.example.test"));
        }
    }

    @Test
    void rcpt4xxDefers() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.on("127.0.0.2", port, "220 mx1\r\n", "250 h\r\n", "250 m\r\n",
                "451 4.7.1 greylisted, try later\r\n")) {
            assertEquals("s127.0.0.2 does not like recipient.\nRemote host said: 451 4.7.1 greylisted, try later\n\0"
                    + "DGiving up on 127.0.0.2.\n\0",
                    remote(MSG, "mx.example.test", "a@b.test", "joe@mx.example.test"));
            assertEquals("HELO helo.test.example\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<joe@mx.example.test>\r\nQUIT\r\n",
                    peer.received(0));
        }
    }

    @Test
    void rcpt5xxBounces() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.on("127.0.0.2", port, "220 mx1\r\n", "250 h\r\n", "250 m\r\n",
                "550-5.1.1 no such user\r\n550 5.1.1 really\r\n")) {
            assertEquals("h127.0.0.2 does not like recipient.\nRemote host said: 550-5.1.1 no such user\n"
                    + "550 5.1.1 really\n\0DGiving up on 127.0.0.2.\n\0",
                    remote(MSG, "mx.example.test", "a@b.test", "joe@mx.example.test"));
        }
    }

    @Test
    void fiveHundredAfterDataBounces() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.on("127.0.0.2", port, "220 mx1\r\n", "250 h\r\n", "250 m\r\n",
                "250 r\r\n", "354 go\r\n", "554 5.7.1 message content rejected\r\n")) {
            assertEquals("r\0D127.0.0.2 failed after I sent the message.\nRemote host said: 554 5.7.1 message content rejected\n\0",
                    remote(MSG, "mx.example.test", "a@b.test", "joe@mx.example.test"));
        }
    }

    @Test
    void dotsAndLineEndsArriveByteExact() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.on("127.0.0.2", port, "220 mx1\r\n")) {
            String msg = "Subject: dots\n\n.\n..\n.leading\nmiddle.\n. \ncrlf\r\n.crlf\r\nbare\rcr\n";
            assertEquals("r\0K127.0.0.2 accepted message.\nRemote host said: 250 ok\n\0",
                    remote(msg, "mx.example.test", "", "joe@mx.example.test"));
            assertEquals("HELO helo.test.example\r\nMAIL FROM:<>\r\nRCPT TO:<joe@mx.example.test>\r\nDATA\r\n"
                    + "Subject: dots\r\n\r\n..\r\n...\r\n..leading\r\nmiddle.\r\n.. \r\ncrlf\r\n..crlf\r\nbare\r\ncr\r\n"
                    + ".\r\nQUIT\r\n", peer.received(0));
        }
    }

    @Test
    void partialLastLineIsRefused() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.on("127.0.0.2", port, "220 mx1\r\n")) {
            assertEquals("r\0DSMTP cannot transfer messages with partial final lines. (#5.6.2)\n\0",
                    remote("no newline", "mx.example.test", "a@b.test", "joe@mx.example.test"));
        }
    }

    @Test
    void silentPeerTimesOut() throws Exception {
        home.control("timeoutremote", "2\n");
        try (ScriptedPeer peer = ScriptedPeer.silent("127.0.0.5", port)) {
            long t0 = System.nanoTime();
            assertEquals("ZConnected to 127.0.0.5 but connection died. (#4.4.2)\n\0",
                    remote(MSG, "silent.example.test", "a@b.test", "joe@silent.example.test"));
            assertTrue(System.nanoTime() - t0 > 1_900_000_000L);
        }
        assertEquals("0:", tool("qmail-tcpto"));
    }

    @Test
    void connectTimeoutIsRecordedInTheTimeoutTable() throws Exception {
        home.control("timeoutconnect", "1\n");
        try (ServerSocket full = new ServerSocket()) {
            full.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.6"), port), 1);
            List<Socket> fillers = fillBacklog(full);
            try {
                assertEquals("ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n\0",
                        remote(MSG, "blackhole.example.test", "a@b.test", "joe@blackhole.example.test"));
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
        String listing = tool("qmail-tcpto");
        assertTrue(listing.matches("0:127\\.0\\.0\\.6 timed out [0-9]+ seconds ago; # recent timeouts: 1\n"), listing);
        assertEquals("0:", tool("qmail-tcpok"));
        assertEquals("0:", tool("qmail-tcpto"));
    }

    /** Connects to {@code s} until its accept queue is full and a further connect hangs. */
    static List<Socket> fillBacklog(ServerSocket s) throws IOException {
        List<Socket> l = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            Socket c = new Socket();
            try {
                c.connect(s.getLocalSocketAddress(), 300);
                l.add(c);
            } catch (SocketTimeoutException e) {
                c.close();
                return l;
            }
        }
        throw new AssertionError("accept queue never filled");
    }

    @Test
    void twoRecentTimeoutsSkipTheAddress() throws Exception {
        byte[] t = new byte[1024];
        t[0] = 127;
        t[3] = 2;
        t[4] = 2;
        long now = System.currentTimeMillis() / 1000;
        t[8] = (byte) now;
        t[9] = (byte) (now >> 8);
        t[10] = (byte) (now >> 16);
        t[11] = (byte) (now >> 24);
        Files.write(home.queue().resolve("lock/tcpto"), t);
        try (ScriptedPeer peer = ScriptedPeer.on("127.0.0.2", port, "220 mx1\r\n")) {
            assertEquals("ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n\0",
                    remote(MSG, "mx.example.test", "a@b.test", "joe@mx.example.test"));
            assertEquals(0, peer.connections());
        }
    }

    @Test
    void mxPointingAtMyselfIsRefused() throws Exception {
        assertEquals("DSorry. Although I'm listed as a best-preference MX or A for that host,\n"
                + "it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)\n\0",
                remote(MSG, "self.example.test", "a@b.test", "joe@self.example.test"));
    }

    @Test
    void unknownDomainsAndIpv6OnlyHostsBounce() throws Exception {
        assertEquals("DSorry, I couldn't find any host named nosuch.example.test. (#5.1.2)\n\0",
                remote(MSG, "nosuch.example.test", "a@b.test", "joe@nosuch.example.test"));
        assertEquals("DSorry, I couldn't find any host named v6only.example.test. (#5.1.2)\n\0",
                remote(MSG, "v6only.example.test", "a@b.test", "joe@v6only.example.test"));
    }

    @Test
    void largeMxAnswerIsReadOverTcp() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.on("127.0.0.2", port, "220 big\r\n")) {
            assertEquals("r\0K127.0.0.2 accepted message.\nRemote host said: 250 ok\n\0",
                    remote(MSG, "big.example.test", "a@b.test", "joe@big.example.test"));
        }
    }

    @Test
    void unreachableDnsIsTemporary() throws Exception {
        String saved = env.put("JQMAIL_DNS_SERVER", "127.0.0.1:" + Dnsmasq.freePort());
        try {
            assertEquals("ZSorry, I couldn't find any host by that name. (#4.1.2)\n\0",
                    remote(MSG, "mx.example.test", "a@b.test", "joe@mx.example.test"));
        } finally {
            env.put("JQMAIL_DNS_SERVER", saved);
        }
    }

    @Test
    void usage() throws Exception {
        assertEquals("DI (qmail-remote) was invoked improperly. (#5.3.5)\n\0", remote("", "mx.example.test", "a@b.test"));
    }

    @Test
    void missingControlsAreTemporary() throws Exception {
        Files.deleteIfExists(home.control().resolve("helohost"));
        Path me = home.control().resolve("me");
        byte[] saved = Files.readAllBytes(me);
        Files.delete(me);
        try {
            assertEquals("ZUnable to read control files. (#4.3.0)\n\0",
                    remote(MSG, "mx.example.test", "a@b.test", "joe@mx.example.test"));
        } finally {
            Files.write(me, saved);
        }
    }
}
