package org.jqmail.smtpd;

import java.io.IOException;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
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

    /** The Received line's protocol (RFC 3848): qmail's SMTP in clear text without AUTH. */
    static String protocol(boolean tls, boolean auth) {
        if (tls) {
            return auth ? "ESMTPSA" : "ESMTPS";
        }
        return auth ? "ESMTPA" : "SMTP";
    }
}
