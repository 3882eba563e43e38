package org.jqmail.smtpd;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jqmail.control.ConstMap;
import org.jqmail.control.Control;
import org.jqmail.control.RcptHosts;
import org.jqmail.io.Bytes;
import org.jqmail.io.Scan;

/**
 * What qmail-smtpd's {@code setup()} reads, per session (qmail-smtpd(8)): the control files
 * {@code smtpgreeting}, {@code localiphost}, {@code timeoutsmtpd}, {@code rcpthosts} with
 * {@code morercpthosts.cdb}, {@code badmailfrom}, {@code databytes}, and the environment
 * {@code DATABYTES}, {@code TCPREMOTEIP}, {@code TCPLOCALHOST}/{@code TCPLOCALIP},
 * {@code TCPREMOTEHOST}, {@code TCPREMOTEINFO}, {@code RELAYCLIENT}; and for TLS (doc/TLS.md)
 * {@code servercert.pem} and {@code SMTPS}. An unreadable servercert.pem does not stop the
 * session: STARTTLS is then answered 454.
 *
 * <p>{@link #load} throws an {@link IOException} for any control file that exists but cannot
 * be read, and when neither {@code smtpgreeting} nor {@code me} exists; qmail-smtpd then
 * answers {@code 421 unable to read controls (#4.3.0)}.
 *
 * <p>databytes is a C {@code unsigned int}, as in qmail-smtpd: DATABYTES is scanned modulo
 * 2^64 and then cut to 32 bits (so 4294967296 means no limit), and 4294967295 becomes
 * 4294967294 so that databytes + 1 cannot wrap.
 */
final class Settings {
    final byte[] greeting;
    final byte[] liphost;
    final int timeout;
    final RcptHosts rcpthosts;
    final ConstMap bmf;
    final long databytes;
    final byte[] remoteip;
    final byte[] local;
    final byte[] remotehost;
    final byte[] remoteinfo;
    final byte[] relayclient;
    /** {@code control/servercert.pem} (doc/TLS.md §2), or null: no TLS. */
    byte[] servercert;
    /** servercert.pem exists but could not be read: STARTTLS is offered and answered 454. */
    boolean servercertUnreadable;
    /** SMTPS set: TLS from the first byte (port 465, RFC 8314). */
    final boolean smtps;

    private Settings(byte[] greeting, byte[] liphost, int timeout, RcptHosts rcpthosts, ConstMap bmf,
                     long databytes, Map<String, String> env) {
        this.greeting = greeting;
        this.liphost = liphost;
        this.timeout = timeout;
        this.rcpthosts = rcpthosts;
        this.bmf = bmf;
        this.databytes = databytes;
        this.remoteip = env("TCPREMOTEIP", env, "unknown");
        byte[] l = env("TCPLOCALHOST", env, null);
        this.local = l != null ? l : env("TCPLOCALIP", env, "unknown");
        this.remotehost = env("TCPREMOTEHOST", env, "unknown");
        this.remoteinfo = env("TCPREMOTEINFO", env, null);
        this.relayclient = env("RELAYCLIENT", env, null);
        this.smtps = env.containsKey("SMTPS");
    }

    /** An environment value as bytes, cut at a NUL as a C string would be. */
    private static byte[] env(String name, Map<String, String> env, String dflt) {
        String v = env.get(name);
        if (v == null) {
            return dflt == null ? null : Bytes.ascii(dflt);
        }
        return Bytes.ascii(v);
    }

    static Settings load(Control c, Map<String, String> env) throws IOException {
        c.me();
        byte[] greeting = c.rldef("smtpgreeting", true, (byte[]) null);
        if (greeting == null) {
            throw new IOException("no smtpgreeting and no me");
        }
        byte[] liphost = c.rldef("localiphost", true, (byte[]) null);
        int timeout = c.readInt("timeoutsmtpd", 1200);
        if (timeout <= 0) {
            timeout = 1;
        }
        RcptHosts rh = RcptHosts.load(c);
        try {
            List<byte[]> bmf = c.readFile("badmailfrom", false);
            long databytes = c.readInt("databytes", 0) & 0xffffffffL;
            String x = env.get("DATABYTES");
            if (x != null) {
                long[] u = new long[1];
                byte[] xb = Bytes.ascii(x);
                Scan.ulong(xb, 0, xb.length, u);
                databytes = u[0] & 0xffffffffL;
            }
            if (databytes == 0xffffffffL) {
                databytes--;
            }
            Settings s = new Settings(greeting, liphost, timeout, rh, bmf == null ? null : ConstMap.ofList(bmf),
                    databytes, env);
            if (c.mayExist(ServerTls.FILE)) {
                try {
                    s.servercert = c.readBytes(ServerTls.FILE, ServerTls.FILE_MAX);
                } catch (IOException e) {
                    s.servercertUnreadable = true;
                }
            }
            return s;
        } catch (IOException | RuntimeException e) {
            rh.close();
            throw e;
        }
    }
}
