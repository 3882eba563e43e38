package org.jqmail.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates and keys from PEM files (doc/TLS.md §2), and the JSSE contexts made from them.
 * Only TLS 1.3 and 1.2 are ever enabled ({@link #PROTOCOLS}).
 *
 * <p>A key file is one PEM file holding the certificate chain (leaf first) and the private key,
 * in any order, as the netqmail TLS patch's {@code servercert.pem}: a {@code PRIVATE KEY}
 * (PKCS #8, RSA or EC), {@code RSA PRIVATE KEY} (PKCS #1) or {@code EC PRIVATE KEY} (RFC 5915)
 * block. Encrypted keys are refused. Other blocks ({@code EC PARAMETERS}) are ignored.
 */
public final class TlsKeys {
    public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /**
     * A server's session cache (doc/TLS.md §8): TLS 1.2 session IDs kept in memory, and the
     * lifetime of the TLS 1.3 tickets the JDK's server hands out (stateless: the session state
     * travels encrypted in the ticket, under a key of this context). A client that resumes
     * pays no certificate, no signature and no chain check; the key exchange stays (TLS 1.3
     * psk_dhe_ke), so resumed sessions keep forward secrecy.
     */
    public static final int SERVER_SESSIONS = 20000;
    /** Seconds a server session may be resumed: one hour, a mail program's polling span. */
    public static final int SERVER_SESSION_SECONDS = 3600;
    /**
     * The server's cipher suite preference, strongest of the cheap ones first: AES-128-GCM
     * with SHA-256 before AES-256-GCM with SHA-384 (the JDK's own order) because SHA-256 and
     * AES-128 cost less per record and per key derivation, ECDSA before RSA; the JDK's other
     * enabled suites follow in its order. The server picks by this order, not the client's.
     */
    static final String[] SERVER_SUITES = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};
    private static final char[] NOPASS = "jqmail".toCharArray();
    private static final byte[] RSA_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    /** A key file's certificate chain (leaf first) and private key. */
    public record Identity(X509Certificate[] chain, PrivateKey key) {
    }

    private TlsKeys() {
    }

    /** The certificates of a PEM file (a CA file), in order. */
    public static List<X509Certificate> certificates(byte[] pem) throws IOException {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Pem.Block b : Pem.parse(pem)) {
                if (b.label().equals("CERTIFICATE")) {
                    certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("bad certificate: " + e.getMessage(), e);
        }
        return certs;
    }

    /** The chain and key of a key file; an IOException says what is missing or wrong. */
    public static Identity identity(byte[] pem) throws IOException {
        List<X509Certificate> certs = certificates(pem);
        PrivateKey key = null;
        for (Pem.Block b : Pem.parse(pem)) {
            PrivateKey k = switch (b.label()) {
                case "PRIVATE KEY" -> pkcs8(b.der());
                case "RSA PRIVATE KEY" -> pkcs8(Der.seq(Der.cat(new byte[] {2, 1, 0}, Der.seq(Der.cat(RSA_OID,
                        new byte[] {5, 0})), Der.octets(b.der()))));
                case "EC PRIVATE KEY" -> pkcs8(Der.seq(Der.cat(new byte[] {2, 1, 0}, Der.seq(Der.cat(EC_OID,
                        Der.curve(b.der()))), Der.octets(b.der()))));
                case "ENCRYPTED PRIVATE KEY" -> throw new IOException("the private key is encrypted");
                default -> null;
            };
            if (k != null) {
                if (key != null) {
                    throw new IOException("more than one private key");
                }
                key = k;
            }
        }
        if (certs.isEmpty()) {
            throw new IOException("no certificate");
        }
        if (key == null) {
            throw new IOException("no private key");
        }
        return new Identity(certs.toArray(new X509Certificate[0]), key);
    }

    private static PrivateKey pkcs8(byte[] der) throws IOException {
        for (String alg : new String[] {"RSA", "EC", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | RuntimeException e) {
                // Try the next algorithm.
            }
        }
        throw new IOException("unusable private key (RSA or EC expected)");
    }

    /**
     * A server's context: {@code pem} is a key file. Make it once per key file and keep it:
     * its session cache and ticket key live in it, so a context per connection would make
     * every handshake a full one.
     */
    public static SSLContext server(byte[] pem) throws IOException {
        SSLContext ctx = context(keyManagers(identity(pem)), null);
        ctx.getServerSessionContext().setSessionCacheSize(SERVER_SESSIONS);
        ctx.getServerSessionContext().setSessionTimeout(SERVER_SESSION_SECONDS);
        return ctx;
    }

    /**
     * A client's context: the client certificate's key file (null: none), and the CA
     * certificates a server's must chain to (null: any certificate, for opportunistic TLS).
     */
    public static SSLContext client(byte[] clientPem, List<X509Certificate> cas) throws IOException {
        KeyManager[] km = clientPem == null ? null : keyManagers(identity(clientPem));
        TrustManager[] tm;
        if (cas == null) {
            tm = new TrustManager[] {new AnyCertificate()};
        } else {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                int i = 0;
                for (X509Certificate c : cas) {
                    ks.setCertificateEntry("ca" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                tm = tmf.getTrustManagers();
            } catch (GeneralSecurityException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        return context(km, tm);
    }

    /**
     * An engine of {@code ctx} with TLS 1.3 and 1.2 only; a server's picks cipher suites by
     * {@link #SERVER_SUITES}. A client's with a peer host and port offers the session it has
     * from that peer, if any (the JDK's client cache is keyed by both).
     */
    public static SSLEngine engine(SSLContext ctx, boolean client, String peerHost, int peerPort) {
        SSLEngine e = client && peerHost != null ? ctx.createSSLEngine(peerHost, peerPort) : ctx.createSSLEngine();
        e.setUseClientMode(client);
        e.setEnabledProtocols(PROTOCOLS.clone());
        if (!client) {
            javax.net.ssl.SSLParameters p = e.getSSLParameters();
            p.setCipherSuites(serverSuites(e.getEnabledCipherSuites()));
            p.setUseCipherSuitesOrder(true);
            e.setSSLParameters(p);
        }
        return e;
    }

    /** {@link #SERVER_SUITES} that are enabled, then the other enabled ones in their order. */
    static String[] serverSuites(String[] enabled) {
        java.util.LinkedHashSet<String> on = new java.util.LinkedHashSet<>(List.of(enabled));
        List<String> out = new ArrayList<>(on.size());
        for (String s : SERVER_SUITES) {
            if (on.remove(s)) {
                out.add(s);
            }
        }
        out.addAll(on);
        return out.toArray(new String[0]);
    }

    private static KeyManager[] keyManagers(Identity id) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", id.key(), NOPASS, (Certificate[]) id.chain());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, NOPASS);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException("the key does not fit the certificate: " + e.getMessage(), e);
        }
    }

    private static SSLContext context(KeyManager[] km, TrustManager[] tm) throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(km, tm, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Opportunistic TLS: encryption against passive listeners, no claim about the peer. */
    private static final class AnyCertificate implements javax.net.ssl.X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // Not used: clients are not asked for certificates.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Opportunistic: any certificate (doc/TLS.md §4).
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
