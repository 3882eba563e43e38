package org.jqmail.remote;

import org.jqmail.control.ConstMap;
import org.jqmail.io.Bytes;
import org.jqmail.io.Scan;

/**
 * Route selection from {@code control/smtproutes} (qmail-remote(8)).
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

    /** A relay to use instead of the MX records. */
    public record Relay(byte[] host, int port) {
    }

    private Route() {
    }

    /** The relay for {@code host}, or null for a normal MX lookup. */
    public static Relay select(ConstMap routes, byte[] host) {
        byte[] value = null;
        for (int i = 0; i <= host.length; i++) {
            if (i == 0 || i == host.length || host[i] == '.') {
                value = routes.get(host, i, host.length - i);
                if (value != null) {
                    break;
                }
            }
        }
        if (value == null || value.length == 0) {
            return null;
        }
        int colon = Bytes.indexOf(value, ':');
        if (colon < 0) {
            return new Relay(value, SMTP_PORT);
        }
        long[] port = new long[1];
        Scan.ulong(value, colon + 1, value.length, port);
        return new Relay(Bytes.sub(value, 0, colon), (int) (port[0] & 0xffff));
    }
}
