package org.jqmail.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.jqmail.io.TlsKeys;
import org.jqmail.io.TlsStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qmail-remote's TLS policy files and its per-process contexts (doc/TLS.md §8): deliveries with
 * the same files share a context, so a second one to the same peer resumes the first one's
 * session; different CA files never share one.
 */
class ClientTlsTest {
    @TempDir
    Path home;

    static byte[] pem() throws IOException {
        try (InputStream in = ClientTlsTest.class.getResourceAsStream("/fuzz/pem/selfsigned-ec-sec1")) {
            return in.readAllBytes();
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void noTlsFilesNoPolicy() throws IOException {
        assertNull(ClientTls.load(home, ascii("a.example")));
    }

    @Test
    void theSameFilesShareAContextAndACaFileGetsItsOwn() throws IOException {
        Files.createDirectories(home.resolve("control/tlshosts"));
        ClientTls a = ClientTls.load(home, ascii("a.example"));
        ClientTls b = ClientTls.load(home, ascii("B.example"));
        assertSame(a.context, b.context);
        assertEquals("b.example", b.host);
        byte[] pem = pem();
        String cert = new String(pem, StandardCharsets.ISO_8859_1);
        Files.writeString(home.resolve("control/tlshosts/c.example.pem"),
                cert.substring(0, cert.indexOf("-----END CERTIFICATE-----") + 26), StandardCharsets.ISO_8859_1);
        ClientTls c = ClientTls.load(home, ascii("c.example"));
        assertNotSame(a.context, c.context);
        assertSame(c.context, ClientTls.load(home, ascii("c.example")).context);
        assertEquals(true, c.required);
        assertEquals(false, a.required);
    }

    /** A server context whose key manager counts the handshakes that needed the key. */
    static SSLContext countingServer(AtomicInteger full) throws Exception {
        TlsKeys.Identity id = TlsKeys.identity(pem());
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "x".toCharArray();
        ks.setKeyEntry("k", id.key(), pw, id.chain());
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, pw);
        javax.net.ssl.X509KeyManager km = (javax.net.ssl.X509KeyManager) kmf.getKeyManagers()[0];
        javax.net.ssl.X509ExtendedKeyManager counting = new javax.net.ssl.X509ExtendedKeyManager() {
            @Override
            public String chooseEngineServerAlias(String keyType, java.security.Principal[] issuers,
                                                  javax.net.ssl.SSLEngine engine) {
                String alias = km.chooseServerAlias(keyType, issuers, null);
                if (alias != null) {
                    full.incrementAndGet();
                }
                return alias;
            }

            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket s) {
                return null;
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                return km.getServerAliases(keyType, issuers);
            }

            @Override
            public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket s) {
                return km.chooseServerAlias(keyType, issuers, s);
            }

            @Override
            public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
                return km.getCertificateChain(alias);
            }

            @Override
            public java.security.PrivateKey getPrivateKey(String alias) {
                return km.getPrivateKey(alias);
            }
        };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new javax.net.ssl.KeyManager[] {counting}, null, null);
        return ctx;
    }

    @Test
    void aSecondDeliveryToTheSamePeerResumes() throws Exception {
        Files.createDirectories(home.resolve("control/tlshosts"));
        AtomicInteger full = new AtomicInteger();
        SSLContext server = countingServer(full);
        for (int i = 0; i < 3; i++) {
            ClientTls t = ClientTls.load(home, ascii("peer.example"));
            java.io.PipedInputStream c2s = new java.io.PipedInputStream(1 << 16);
            java.io.PipedInputStream s2c = new java.io.PipedInputStream(1 << 16);
            TlsStreams srv = new TlsStreams(TlsKeys.engine(server, false, null, 0), c2s, new java.io.PipedOutputStream(s2c));
            TlsStreams cli = new TlsStreams(t.engine(25), s2c, new java.io.PipedOutputStream(c2s));
            Thread th = new Thread(() -> {
                try {
                    srv.handshake();
                    srv.out.write(ascii("220 ok\r\n"));
                    // Reads the client's line, so that the ticket sent with the 220 is taken in.
                    srv.in.read();
                } catch (IOException e) {
                    // The client's read fails then.
                }
            });
            th.start();
            cli.handshake();
            assertEquals('2', cli.in.read());
            cli.out.write(ascii("QUIT\r\n"));
            th.join();
        }
        // One full handshake; the second and third delivery resumed its session.
        assertEquals(1, full.get());
    }
}
