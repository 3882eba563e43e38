package org.jqmail.smtpd.listener;

import java.io.IOException;
import java.util.Map;
import org.jqmail.control.Cdb;
import org.jqmail.io.Bytes;

/**
 * tcpserver's access rules, read from a cdb that Debian's {@code tcprules} built (ucspi-tcp
 * {@code rules.c}). Keys are tried in tcpserver's order and the first one present decides:
 * {@code info@ip}, {@code info@=host} (with TCPREMOTEINFO), {@code ip}, {@code =host}, then
 * each prefix of the IP ending in a dot, longest first, then {@code =.suffix} for each dot of
 * the host name and {@code =} (with a host name), and finally the empty key.
 *
 * <p>The data is a series of NUL-terminated instructions: {@code D} denies the connection,
 * {@code +VAR=VALUE} sets an environment variable. A key with no data allows the connection
 * unchanged; no matching key allows it too.
 *
 * <p>See also: tcprules(1), tcpserver(1).
 */
final class TcpRules {
    private TcpRules() {
    }

    /** The decision: deny, or allow with these variables set (in order). */
    record Decision(boolean deny, Map<String, String> env) {
    }

    /** Looks up the connection; {@code host} and {@code info} may be null. */
    static Decision find(Cdb cdb, String ip, String host, String info) throws IOException {
        byte[] d = lookup(cdb, ip, host, info);
        java.util.LinkedHashMap<String, String> env = new java.util.LinkedHashMap<>();
        boolean deny = false;
        if (d != null) {
            int start = 0;
            for (int i = 0; i < d.length; i++) {
                if (d[i] != 0) {
                    continue;
                }
                if (i > start) {
                    if (d[start] == 'D') {
                        deny = true;
                    } else if (d[start] == '+') {
                        int eq = -1;
                        for (int j = start + 1; j < i; j++) {
                            if (d[j] == '=') {
                                eq = j;
                                break;
                            }
                        }
                        if (eq >= 0) {
                            env.put(Bytes.str(d, start + 1, eq - start - 1), Bytes.str(d, eq + 1, i - eq - 1));
                        }
                    }
                }
                start = i + 1;
            }
        }
        return new Decision(deny, env);
    }

    private static byte[] get(Cdb cdb, String key) throws IOException {
        return cdb.find(Bytes.ascii(key));
    }

    private static byte[] lookup(Cdb cdb, String ip, String host, String info) throws IOException {
        byte[] d;
        if (info != null) {
            if ((d = get(cdb, info + "@" + ip)) != null) {
                return d;
            }
            if (host != null && (d = get(cdb, info + "@=" + host)) != null) {
                return d;
            }
        }
        if ((d = get(cdb, ip)) != null) {
            return d;
        }
        if (host != null && (d = get(cdb, "=" + host)) != null) {
            return d;
        }
        for (int len = ip.length(); len > 0; len--) {
            if (ip.charAt(len - 1) == '.' && (d = get(cdb, ip.substring(0, len))) != null) {
                return d;
            }
        }
        if (host != null) {
            for (int i = 0; i < host.length(); i++) {
                if (host.charAt(i) == '.' && (d = get(cdb, "=" + host.substring(i))) != null) {
                    return d;
                }
            }
            if ((d = get(cdb, "=")) != null) {
                return d;
            }
        }
        return get(cdb, "");
    }
}
