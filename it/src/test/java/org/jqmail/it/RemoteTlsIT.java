package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * qmail-remote's STARTTLS (doc/TLS.md §5) against our own listener with TLS on (its
 * certificate from {@code scripts/install --selfsigned-cert}, for test.example), found through
 * dnsmasq's MX for test.example on 127.0.0.2: opportunistic TLS with the protocol and cipher in
 * the report, a certificate verified against {@code control/tlshosts/test.example.pem}, an
 * untrusted one and a peer without STARTTLS refused as temporary failures with the reason,
 * and {@code control/notlshosts/test.example} keeping qmail's clear-text dialogue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteTlsIT {
    static final String MSG = "From: a@b.test\nSubject: remote tls\n\nhello\n";
    static final Pattern ACCEPTED = Pattern.compile("Remote host said: 250 ok \\d+ qp (\\d+)\n");

    ReceiveRig rig;
    Dnsmasq dns;
    Map<String, String> env;
    Path tlshosts;

    @BeforeAll
    void start() throws Exception {
        rig = ReceiveRig.create("--selfsigned-cert");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            port = s.getLocalPort();
        }
        List<String> argv = new ArrayList<>(List.of(rig.home.bin("qmail-smtpd-listener").toString(), "-H", "-l",
                "test.example", "-X"));
        if (TestHome.isRoot()) {
            argv.addAll(List.of("-u", "qmaild", "-g", "nofiles"));
        }
        argv.addAll(List.of("127.0.0.2", Integer.toString(port)));
        rig.smtpd = rig.home.start(argv.toArray(new String[0]));
        int p = port;
        TestHome.await("the listener on 127.0.0.2", () -> {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getByName("127.0.0.2"), p)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(30));
        dns = Dnsmasq.start(rig.home.dir(), List.of("test.example"),
                List.of("mx-host=test.example,mx.test.example,10", "host-record=mx.test.example,127.0.0.2"));
        env = new HashMap<>(System.getenv());
        env.put("JQMAIL_DNS_SERVER", dns.server());
        env.put("JQMAIL_SMTP_PORT", Integer.toString(port));
        tlshosts = rig.home.control().resolve("tlshosts");
        Files.createDirectories(tlshosts);
    }

    @AfterAll
    void stop() throws Exception {
        if (dns != null) {
            dns.close();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @AfterEach
    void clean() throws IOException {
        Files.deleteIfExists(tlshosts.resolve("test.example.pem"));
        Files.deleteIfExists(rig.home.control().resolve("notlshosts/test.example"));
    }

    /** Runs bin/qmail-remote test.example; asserts exit 0, returns its output. */
    String remote() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(rig.home.bin("qmail-remote").toString(), "test.example", "a@b.test",
                "joe@test.example").redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process pr = pb.start();
        try (var in = pr.getOutputStream()) {
            in.write(MSG.getBytes(ISO_8859_1));
        } catch (IOException e) {
            // Failed before DATA.
        }
        byte[] out = pr.getInputStream().readAllBytes();
        assertTrue(pr.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, pr.exitValue());
        return new String(out, ISO_8859_1);
    }

    /** The Received line the listener wrote for the accepted message. */
    String received(String out) throws IOException {
        Matcher m = ACCEPTED.matcher(out);
        assertTrue(m.find(), out);
        String mess = rig.byQp(Long.parseLong(m.group(1))).orElseThrow().messText();
        return mess.split("\n")[2];
    }

    @Test
    void opportunisticTlsSaysProtocolAndCipher() throws Exception {
        String out = remote();
        assertTrue(out.startsWith("r\0K127.0.0.2 accepted message.\nTLS TLSv1.3 TLS_"), out);
        assertTrue(out.matches("(?s)r\0K127\\.0\\.0\\.2 accepted message\\.\nTLS TLSv1\\.3 TLS_[A-Z0-9_]+\\.\n"
                + "Remote host said: 250 ok \\d+ qp \\d+\n\0"), out);
        assertTrue(received(out).startsWith("  by test.example with ESMTPS; "), received(out));
    }

    @Test
    void aCertificateFromTheTlshostsCaIsVerified() throws Exception {
        String pem = Files.readString(rig.home.control().resolve("servercert.pem"), ISO_8859_1);
        Files.writeString(tlshosts.resolve("test.example.pem"),
                pem.substring(0, pem.indexOf("-----END CERTIFICATE-----") + 26), ISO_8859_1);
        String out = remote();
        assertTrue(out.matches("(?s)r\0K127\\.0\\.0\\.2 accepted message\\.\nTLS TLSv1\\.3 TLS_[A-Z0-9_]+ verified\\.\n"
                + "Remote host said: 250 ok .*"), out);
    }

    @Test
    void anUntrustedCertificateIsATemporaryFailure() throws Exception {
        Path dir = rig.home.dir();
        TestHome.Result r = TestHome.exec(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
                "/CN=test.example", "-keyout", dir.resolve("other.key").toString(), "-out",
                tlshosts.resolve("test.example.pem").toString()), null, Duration.ofSeconds(60));
        assertEquals(0, r.exit(), r.errText());
        String out = remote();
        assertTrue(out.startsWith("ZConnected to 127.0.0.2 but the TLS handshake"
                + " failed (control/tlshosts/test.example.pem): "), out);
        assertTrue(out.endsWith(" (#4.7.5)\n\0"), out);
    }

    @Test
    void tlsRequiredButNotOfferedIsATemporaryFailure() throws Exception {
        String pem = Files.readString(rig.home.control().resolve("servercert.pem"), ISO_8859_1);
        Files.writeString(tlshosts.resolve("test.example.pem"),
                pem.substring(0, pem.indexOf("-----END CERTIFICATE-----") + 26), ISO_8859_1);
        Path cert = rig.home.control().resolve("servercert.pem");
        Path away = rig.home.dir().resolve("servercert.away");
        Files.move(cert, away);
        try {
            assertEquals("ZConnected to 127.0.0.2 but it does not offer STARTTLS, and TLS is required.\n"
                    + "Remote host said: 250-test.example\n250-PIPELINING\n250 8BITMIME\n\0", remote());
        } finally {
            Files.move(away, cert);
        }
    }

    @Test
    void notlshostsKeepsTheClearTextDialogue() throws Exception {
        Files.createDirectories(rig.home.control().resolve("notlshosts"));
        Files.writeString(rig.home.control().resolve("notlshosts/test.example"), "");
        String out = remote();
        assertTrue(out.matches("(?s)r\0K127\\.0\\.0\\.2 accepted message\\.\nRemote host said: 250 ok .*"), out);
        assertTrue(received(out).startsWith("  by test.example with SMTP; "), received(out));
    }
}
