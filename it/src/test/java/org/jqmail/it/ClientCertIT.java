package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.jqmail.io.TlsKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * qmail-remote presents {@code control/clientcert.pem} (doc/TLS.md §5): a small SMTP server
 * here, on 127.0.0.2 and found through dnsmasq's MX for test.example, offers STARTTLS, requires
 * a client certificate in the handshake and records the subject of the one it is shown; it must
 * be the subject of the certificate in clientcert.pem, and the delivery must succeed over TLS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientCertIT {
    static final String MSG = "From: a@b.test\nSubject: client cert\n\nhello\n";
    static final String CLIENT_SUBJECT = "CN=client.jqmail.test,O=jqmail client cert test";

    TestHome home;
    Dnsmasq dns;
    ServerSocket listen;
    Thread server;
    final List<String> subjects = new CopyOnWriteArrayList<>();
    final List<String> dialogue = new CopyOnWriteArrayList<>();
    Map<String, String> env;

    static void openssl(Path dir, String... args) throws IOException {
        List<String> argv = new java.util.ArrayList<>(List.of("openssl"));
        argv.addAll(List.of(args));
        TestHome.Result r = TestHome.exec(argv, null, Duration.ofSeconds(60));
        assertEquals(0, r.exit(), r.errText());
    }

    /** A key file (certificate and key in one PEM) for {@code subject}, made with openssl. */
    static byte[] keyFile(Path dir, String name, String subject) throws IOException {
        Path key = dir.resolve(name + ".key");
        Path crt = dir.resolve(name + ".crt");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
                "-subj", subject, "-keyout", key.toString(), "-out", crt.toString());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(Files.readAllBytes(crt));
        b.write(Files.readAllBytes(key));
        return b.toByteArray();
    }

    @BeforeAll
    void start() throws Exception {
        home = TestHome.create();
        Path dir = home.dir();
        byte[] serverPem = keyFile(dir, "server", "/CN=mx.test.example");
        byte[] clientPem = keyFile(dir, "client", "/O=jqmail client cert test/CN=client.jqmail.test");
        Path cc = home.control().resolve("clientcert.pem");
        Files.write(cc, clientPem);
        Files.setPosixFilePermissions(cc, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));

        TlsKeys.Identity id = TlsKeys.identity(serverPem);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "x".toCharArray();
        ks.setKeyEntry("k", id.key(), pw, (Certificate[]) id.chain());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                subjects.add(chain[0].getSubjectX500Principal().getName());
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        listen = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.2"));
        server = new Thread(() -> {
            while (!listen.isClosed()) {
                try (Socket s = listen.accept()) {
                    s.setSoTimeout(60_000);
                    serve(ctx, s);
                } catch (IOException e) {
                    dialogue.add("failed: " + e);
                }
            }
        });
        server.setDaemon(true);
        server.start();
        dns = Dnsmasq.start(dir, List.of("test.example"),
                List.of("mx-host=test.example,mx.test.example,10", "host-record=mx.test.example,127.0.0.2"));
        env = new HashMap<>(System.getenv());
        env.put("JQMAIL_DNS_SERVER", dns.server());
        env.put("JQMAIL_SMTP_PORT", Integer.toString(listen.getLocalPort()));
    }

    @AfterAll
    void stop() throws Exception {
        if (listen != null) {
            listen.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (home != null) {
            home.close();
        }
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0 && c != '\n';) {
            b.write(c);
        }
        return b.toString(ISO_8859_1).replace("\r", "");
    }

    static void say(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(ISO_8859_1));
        out.flush();
    }

    /** SMTP with STARTTLS; after the handshake, whatever the client asks is accepted. */
    void serve(SSLContext ctx, Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        say(out, "220 mx.test.example ESMTP");
        boolean tls = false;
        for (;;) {
            String l = line(in);
            dialogue.add((tls ? "tls " : "") + l);
            String verb = l.length() >= 4 ? l.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : l;
            switch (verb) {
                case "EHLO" -> say(out, tls ? "250 mx.test.example" : "250-mx.test.example\r\n250 STARTTLS");
                case "STAR" -> {
                    say(out, "220 go ahead");
                    SSLSocket t = (SSLSocket) ctx.getSocketFactory().createSocket(s, null, true);
                    t.setUseClientMode(false);
                    t.setNeedClientAuth(true);
                    t.startHandshake();
                    in = t.getInputStream();
                    out = t.getOutputStream();
                    tls = true;
                }
                case "DATA" -> {
                    say(out, "354 go ahead");
                    while (!line(in).equals(".")) {
                        // The message.
                    }
                    say(out, "250 ok queued");
                }
                case "QUIT" -> {
                    say(out, "221 bye");
                    return;
                }
                case "" -> {
                    return;
                }
                default -> say(out, "250 ok");
            }
        }
    }

    @Test
    void theClientCertificateIsPresentedWhenTheServerAsks() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.bin("qmail-remote").toString(), "test.example", "a@b.test",
                "joe@test.example").redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process pr = pb.start();
        try (OutputStream o = pr.getOutputStream()) {
            o.write(MSG.getBytes(ISO_8859_1));
        }
        String out = new String(pr.getInputStream().readAllBytes(), ISO_8859_1);
        assertTrue(pr.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, pr.exitValue());
        assertTrue(out.matches("(?s)r\0K127\\.0\\.0\\.2 accepted message\\.\nTLS TLSv1\\.3 TLS_[A-Z0-9_]+\\.\n"
                + "Remote host said: 250 ok queued\n\0"), out);
        X509Certificate mine = TlsKeys.identity(Files.readAllBytes(home.control().resolve("clientcert.pem")))
                .chain()[0];
        assertEquals(CLIENT_SUBJECT, mine.getSubjectX500Principal().getName());
        assertEquals(List.of(CLIENT_SUBJECT), subjects, dialogue.toString());
        assertTrue(dialogue.get(0).startsWith("EHLO "), dialogue.toString());
        assertEquals("STARTTLS", dialogue.get(1));
        assertTrue(dialogue.contains("tls MAIL FROM:<a@b.test>"), dialogue.toString());
        assertTrue(dialogue.contains("tls RCPT TO:<joe@test.example>"), dialogue.toString());
    }
}
