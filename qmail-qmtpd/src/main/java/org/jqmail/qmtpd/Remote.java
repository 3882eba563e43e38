package org.jqmail.qmtpd;

import java.util.Map;
import org.jqmail.io.Bytes;

/**
 * Who is at the other end, from tcp-environ(5): TCPREMOTEHOST ({@code unknown}), TCPREMOTEINFO
 * (may be absent), TCPREMOTEIP ({@code unknown}), and TCPLOCALHOST, else TCPLOCALIP, else
 * {@code unknown}; as qmail-qmtpd's and qmail-qmqpd's {@code main()} read them.
 */
final class Remote {
    final byte[] remotehost;
    final byte[] remoteinfo;
    final byte[] remoteip;
    final byte[] local;

    Remote(Map<String, String> env) {
        remotehost = env("TCPREMOTEHOST", env, "unknown");
        remoteinfo = env("TCPREMOTEINFO", env, null);
        remoteip = env("TCPREMOTEIP", env, "unknown");
        byte[] l = env("TCPLOCALHOST", env, null);
        local = l != null ? l : env("TCPLOCALIP", env, "unknown");
    }

    static byte[] env(String name, Map<String, String> env, String dflt) {
        String v = env.get(name);
        if (v == null) {
            return dflt == null ? null : Bytes.ascii(dflt);
        }
        return Bytes.ascii(v);
    }
}
