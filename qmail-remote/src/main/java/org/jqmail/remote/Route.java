package org.jqmail.remote;

import org.jqmail.control.ConstMap;
import org.jqmail.io.Bytes;
import org.jqmail.io.Scan;

/**
 * Route selection from {@code control/smtproutes} and {@code control/qmtproutes}
 * (qmail-remote(8); qmtproutes is this project's extension, doc/QMTP.md §7).
 *
 * <p>The keys tried, first hit wins: the host itself, each suffix of it that starts at a dot
 * ({@code .af.mil}, {@code .mil}), then the empty key. A hit with an empty value means "use the
 * MX records" and ends the search. Otherwise the value is {@code relay} or {@code relay:port};
 * the port is scanned as {@code scan_ulong} does (no digits gives 0) and only its low 16 bits
 * reach the socket, as in {@code timeoutconn.c}.
 *
 * <p>See also: {@code qmail-remote.c} main, {@code qmail-control(5)}.
 */
public final class Route {
    /** The SMTP port ({@code PORT_SMTP}). */
    public static final int SMTP_PORT = 25;
    /** The QMTP port, the default for {@code qmtproutes}. */
    public static final int QMTP_PORT = 209;

    /** A relay to use instead of the MX records. */
    public record Relay(byte[] host, int port) {
    }

    private Route() {
    }

    /** The relay for {@code host}, or null for a normal MX lookup. */
    public static Relay select(ConstMap routes, byte[] host) {
        return relay(find(routes, host), SMTP_PORT);
    }

    /**
     * The value of the first key that matches {@code host} (possibly empty: "use the MX
     * records"), or null if no key matches.
     */
    public static byte[] find(ConstMap routes, byte[] host) {
        for (int i = 0; i <= host.length; i++) {
            if (i == 0 || i == host.length || host[i] == '.') {
                byte[] value = routes.get(host, i, host.length - i);
                if (value != null) {
                    return value;
                }
            }
        }
        return null;
    }

    /**
     * The relay a route's {@code value} names, {@code defaultPort} if it has no port; null for
     * no value or an empty one (an MX lookup).
     */
    public static Relay relay(byte[] value, int defaultPort) {
        if (value == null || value.length == 0) {
            return null;
        }
        int colon = Bytes.indexOf(value, ':');
        if (colon < 0) {
            return new Relay(value, defaultPort);
        }
        long[] port = new long[1];
        Scan.ulong(value, colon + 1, value.length, port);
        return new Relay(Bytes.sub(value, 0, colon), (int) (port[0] & 0xffff));
    }
}
