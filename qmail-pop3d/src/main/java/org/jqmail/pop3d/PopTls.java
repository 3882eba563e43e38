package org.jqmail.pop3d;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.jqmail.io.TlsKeys;

/**
 * qmail-popup's TLS settings (doc/POP3.md §6, doc/TLS.md §7): {@code control/servercert.pem}
 * (the key file qmail-smtpd uses), {@code POP3S} (implicit TLS, port 995, RFC 8314) and
 * {@code TLSREQUIRED} (USER and PASS refused in clear text) in the environment.
 *
 * <p>Without servercert.pem nothing changes: no CAPA, no STLS, qmail's bytes. A file that
 * exists but cannot be read or used still makes CAPA list STLS, answered {@code -ERR TLS not
 * available}, as qmail-smtpd answers 454.
 */
final class PopTls {
    static final String FILE = "servercert.pem";
    static final int FILE_MAX = 256 * 1024;

    /** control/servercert.pem exists: CAPA and STLS are offered. */
    final boolean exists;
    /** The key file's bytes, or null when it is absent or could not be read. */
    private final byte[] pem;
    /** {@code POP3S}: TLS from the first byte. */
    final boolean implicit;
    /** {@code TLSREQUIRED}: USER and PASS only over TLS. */
    final boolean required;

    PopTls(boolean exists, byte[] pem, boolean implicit, boolean required) {
        this.exists = exists;
        this.pem = pem;
        this.implicit = implicit;
        this.required = required;
    }

    /**
     * The settings under {@code home}, or null when none applies: no servercert.pem, no
     * {@code POP3S}, no {@code TLSREQUIRED} (qmail's qmail-popup). Without the file,
     * {@code POP3S} closes every connection and {@code TLSREQUIRED} refuses every USER and PASS.
     */
    static PopTls of(Path home, Map<String, String> env) {
        boolean implicit = env.containsKey("POP3S");
        boolean required = env.containsKey("TLSREQUIRED");
        Path f = home.resolve("control").resolve(FILE);
        byte[] b = null;
        boolean exists = true;
        try (InputStream in = Files.newInputStream(f)) {
            b = in.readNBytes(FILE_MAX + 1);
            if (b.length > FILE_MAX) {
                b = null;
            }
        } catch (NoSuchFileException e) {
            exists = false;
        } catch (IOException e) {
            b = null;
        }
        if (!exists && !implicit && !required) {
            return null;
        }
        return new PopTls(exists, b, implicit, required);
    }

    /** A server engine; IOException when the key file is absent or cannot be used. */
    SSLEngine engine() throws IOException {
        if (pem == null) {
            throw new IOException("control/" + FILE + " cannot be read");
        }
        SSLContext ctx = TlsKeys.server(pem);
        return TlsKeys.engine(ctx, false, null, 0);
    }
}
