package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

/** TlsStreams between two engines over pipes: what goes on the wire, and resumption. */
class TlsStreamsTest {
    private static byte[] pem() throws IOException {
        try (InputStream in = TlsStreamsTest.class.getResourceAsStream("/fuzz/pem/selfsigned-ec-sec1")) {
            return in.readAllBytes();
        }
    }

    /** Counts the writes made to it and the bytes of each. */
    private static final class Counting extends OutputStream {
        final OutputStream out;
        final List<Integer> writes = Collections.synchronizedList(new ArrayList<>());

        Counting(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writes.add(len);
            out.write(b, off, len);
        }
    }

    private record Pair(TlsStreams server, TlsStreams client, Counting serverRaw) {
    }

    private static Pair pair(SSLContext server, SSLContext client, String protocol) throws IOException {
        PipedInputStream s2c = new PipedInputStream(1 << 16);
        PipedInputStream c2s = new PipedInputStream(1 << 16);
        Counting sOut = new Counting(new PipedOutputStream(s2c));
        OutputStream cOut = new PipedOutputStream(c2s);
        SSLEngine se = TlsKeys.engine(server, false, null, 0);
        SSLEngine ce = TlsKeys.engine(client, true, "peer.test", 25);
        ce.setEnabledProtocols(new String[] {protocol});
        return new Pair(new TlsStreams(se, c2s, sOut), new TlsStreams(ce, s2c, cOut), sOut);
    }

    /** One exchange: the client says HELLO, the server answers 250 ok; both handshake first. */
    private static void exchange(Pair p) throws Exception {
        AtomicInteger served = new AtomicInteger();
        Thread t = new Thread(() -> {
            try {
                p.server().handshake();
                byte[] b = new byte[7];
                int n = p.server().in.readNBytes(b, 0, 7);
                if (n == 7 && new String(b, StandardCharsets.US_ASCII).equals("HELLO\r\n")) {
                    p.server().out.write("250 ok\r\n".getBytes(StandardCharsets.US_ASCII));
                    served.set(1);
                }
            } catch (IOException e) {
                served.set(-1);
            }
        });
        t.start();
        p.client().out.write("HELLO\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] r = p.client().in.readNBytes(8);
        t.join();
        assertEquals(1, served.get());
        assertArrayEquals("250 ok\r\n".getBytes(StandardCharsets.US_ASCII), r);
    }

    private static SSLContext anyServer() throws IOException {
        return TlsKeys.client(null, null);
    }

    @Test
    void theSessionTicketLeavesWithTheFirstReplyNotAlone() throws Exception {
        Pair p = pair(TlsKeys.server(pem()), anyServer(), "TLSv1.3");
        exchange(p);
        // TLS 1.3: the server's flight (ServerHello ... Finished) in one write, then the
        // ticket and the reply in one more; a ticket sent alone would make three.
        assertEquals(2, p.serverRaw().writes.size(), p.serverRaw().writes.toString());
        assertEquals("TLSv1.3", p.server().engine().getSession().getProtocol());
        assertEquals("TLS_AES_128_GCM_SHA256", p.server().engine().getSession().getCipherSuite());
    }

    @Test
    void aClientWithTheSameContextResumesTheServersSession() throws Exception {
        for (String proto : new String[] {"TLSv1.3", "TLSv1.2"}) {
            SSLContext server = TlsKeys.server(pem());
            AtomicInteger checks = new AtomicInteger();
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] c, String a) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] c, String a) {
                    checks.incrementAndGet();
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            exchange(pair(server, client, proto));
            exchange(pair(server, client, proto));
            // The second handshake resumed: the server's certificate was not shown again.
            assertEquals(1, checks.get(), proto);
        }
    }

    @Test
    void serverSuitesPutTheCheapOnesFirstAndKeepTheRest() {
        String[] got = TlsKeys.serverSuites(new String[] {"X", "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"});
        assertArrayEquals(new String[] {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "X"}, got);
        assertTrue(TlsKeys.SERVER_SESSIONS > 0);
    }
}
