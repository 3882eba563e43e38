package org.jqmail.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.jqmail.io.TlsKeys;
import org.jqmail.io.TlsStreams;

/**
 * qmail-remote's TLS policy for one delivery (doc/TLS.md §5), from the netqmail TLS patch's
 * control files:
 * <ul>
 * <li>none of {@code control/tlshosts/} and {@code control/clientcert.pem} exists: no TLS,
 * qmail's {@code HELO} dialogue unchanged (null);
 * <li>{@code control/notlshosts/HOST} exists: no TLS for HOST (null);
 * <li>{@code control/tlshosts/HOST.pem} exists: TLS is required, with a certificate that
 * chains to a CA in that file and names HOST; anything else is a temporary failure;
 * <li>otherwise: opportunistic, STARTTLS whenever the peer offers it, any certificate.
 * </ul>
 * HOST is the host qmail-remote was given (the recipient's domain, or the smtproutes relay),
 * lower-cased. {@code control/clientcert.pem} (certificate and key, readable by qmailr) is
 * presented when a server asks for a client certificate.
 *
 * <p>Contexts are kept per process for the same file contents ({@link #CONTEXTS}): qmail-rspawn
 * runs deliveries in its own JVM, so a second delivery to the same host and port resumes the
 * first one's TLS session (no certificate, no signature) instead of a full handshake. A context
 * is only ever shared between deliveries with the same client certificate and the same CA
 * file, so a session verified against tlshosts/HOST.pem is never offered in opportunistic
 * mode, nor an opportunistic one where verification is required.
 */
final class ClientTls {
    static final int FILE_MAX = 256 * 1024;
    /** Contexts kept per process, by the bytes of clientcert.pem and the CA file. */
    static final int CONTEXTS = 16;
    private static final java.util.Map<String, SSLContext> CACHE = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, SSLContext> e) {
            return size() > CONTEXTS;
        }
    };

    final SSLContext context;
    final boolean required;
    final String host;

    private ClientTls(SSLContext context, boolean required, String host) {
        this.context = context;
        this.required = required;
        this.host = host;
    }

    /** The policy for {@code host}, or null for none; IOException when a file cannot be used. */
    static ClientTls load(Path home, byte[] host) throws IOException {
        Path control = home.resolve("control");
        Path tlshosts = control.resolve("tlshosts");
        Path clientcert = control.resolve("clientcert.pem");
        if (!Files.isDirectory(tlshosts) && !Files.exists(clientcert)) {
            return null;
        }
        String h = new String(host, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        boolean plainName = h.matches("[a-z0-9-]+(\\.[a-z0-9-]+)*\\.?");
        if (plainName && Files.exists(control.resolve("notlshosts").resolve(h))) {
            return null;
        }
        byte[] ca = plainName ? read(tlshosts.resolve(h + ".pem")) : null;
        byte[] cert = read(clientcert);
        return new ClientTls(context(cert, ca), ca != null, h);
    }

    /** The kept context for these file contents (null: none), made when there is none. */
    static SSLContext context(byte[] cert, byte[] ca) throws IOException {
        String key = key(cert) + "/" + key(ca);
        synchronized (CACHE) {
            SSLContext ctx = CACHE.get(key);
            if (ctx == null) {
                ctx = TlsKeys.client(cert, ca == null ? null : TlsKeys.certificates(ca));
                CACHE.put(key, ctx);
            }
            return ctx;
        }
    }

    /** A file's identity for the cache: its SHA-256, or "-" when absent. */
    private static String key(byte[] b) throws IOException {
        if (b == null) {
            return "-";
        }
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static byte[] read(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes(FILE_MAX + 1);
            if (b.length > FILE_MAX) {
                throw new IOException(p + " is longer than " + FILE_MAX + " bytes");
            }
            return b;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** A client engine: with the name checked against HOST when TLS is required. */
    SSLEngine engine(int port) {
        SSLEngine e = TlsKeys.engine(context, true, host, port);
        if (required) {
            SSLParameters p = e.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            e.setSSLParameters(p);
        }
        return e;
    }

    /** TLS over {@code c}: the returned connection reads and writes through it. */
    static TlsStreams streams(SSLEngine engine, Connector.Connection c) {
        InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return c.read(b, off, len);
            }
        };
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                c.write(b, off, len);
            }
        };
        return new TlsStreams(engine, in, out);
    }

    /** A connection over TLS streams; closing it closes {@code raw}. */
    static Connector.Connection over(TlsStreams t, Connector.Connection raw) {
        return new Connector.Connection() {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return t.in.read(b, off, len);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                t.out.write(b, off, len);
            }

            @Override
            public void close() {
                raw.close();
            }
        };
    }
}
