package org.jqmail.smtpd;

import java.io.IOException;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;
import org.jqmail.io.TlsKeys;

/**
 * qmail-smtpd's side of TLS (doc/TLS.md §3): the context made from {@code control/servercert.pem}
 * and the replies of STARTTLS (RFC 3207) in the netqmail TLS patch's words with qmail's
 * enhanced status codes.
 *
 * <p>The context is kept while the file's bytes stay the same (the listener reads the file
 * through its control cache, so a changed certificate applies from the next STARTTLS on); a
 * qmail-smtpd process makes it only when a client asks for TLS.
 */
final class ServerTls {
    static final String FILE = "servercert.pem";
    /** Bound on {@link #FILE}: a chain of a few certificates and a key take a few KB. */
    static final int FILE_MAX = 256 * 1024;
    static final String READY = "220 ready for tls\r\n";
    static final String NOPARAMS = "501 Syntax error (no parameters allowed) (#5.5.4)\r\n";
    static final String UNAVAILABLE = "454 TLS not available due to temporary reason (#4.3.0)\r\n";

    private static final Object LOCK = new Object();
    private static byte[] lastPem;
    private static SSLContext lastContext;

    private ServerTls() {
    }

    /** A server engine for the key file {@code pem}; IOException when it cannot be used. */
    static SSLEngine engine(byte[] pem) throws IOException {
        SSLContext ctx;
        synchronized (LOCK) {
            if (lastPem == null || !Arrays.equals(lastPem, pem)) {
                lastContext = TlsKeys.server(pem);
                lastPem = pem.clone();
            }
            ctx = lastContext;
        }
        return TlsKeys.engine(ctx, false, null, 0);
    }

    /**
     * RFC 3207 section 4.2 and 5: answers 220 (unless SMTPS), discards whatever the client sent
     * after STARTTLS in clear text (it must wait for the 220; bytes it did not wait with were
     * injected: CVE-2011-0411), and switches the connection to TLS. The handshake runs on the
     * next read. False, with nothing written, when the key file is unusable.
     */
    static boolean start(Settings cfg, SubstdioIn in, SubstdioOut out, Conn conn) throws IOException {
        SSLEngine engine;
        try {
            engine = engine(cfg.servercert == null ? new byte[0] : cfg.servercert);
        } catch (IOException | RuntimeException e) {
            return false;
        }
        if (!cfg.smtps) {
            out.puts(READY);
            out.flush();
        }
        in.consume(in.buffered());
        conn.startTls(engine);
        return true;
    }

    /** The Received line's protocol (RFC 3848): qmail's SMTP in clear text without AUTH. */
    static String protocol(boolean tls, boolean auth) {
        if (tls) {
            return auth ? "ESMTPSA" : "ESMTPS";
        }
        return auth ? "ESMTPA" : "SMTP";
    }
}
