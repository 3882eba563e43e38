package org.jqmail.pop3d;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.io.Bytes;

/**
 * The variables tcp-env sets for one TCP connection (tcp-environ(5)): {@code PROTO=TCP},
 * {@code TCPLOCALPORT}, {@code TCPLOCALIP}, {@code TCPLOCALHOST}, {@code TCPREMOTEPORT},
 * {@code TCPREMOTEIP}, {@code TCPREMOTEHOST} and {@code TCPREMOTEINFO}.
 *
 * <p>A host name is the first PTR record of the address, in lower case; a temporary DNS failure
 * gives the name {@code softdnserror}, any other failure leaves the variable unset (and unsets
 * one inherited). {@code TCPREMOTEINFO} is unset, then set to the identification server's
 * answer if it was asked and answered. Addresses are dotted decimal; qmail knows IPv4 only, and
 * an IPv6 connection gets the JDK's text for its addresses.
 *
 * <p>Synopsis: {@link #changes} returns the changes as arguments for {@code env(1)}:
 * {@code -u NAME} to unset, then {@code --}, then {@code NAME=VALUE} to set.
 *
 * <p>See also: tcp-env(1), tcp-environ(5), tcp-env.c.
 */
final class TcpEnviron {
    /** A reverse look-up's outcome. */
    interface Ptr {
        /** The host name, {@link #SOFT} for a temporary failure, or null for none. */
        byte[] lookup(InetAddress a);
    }

    static final byte[] SOFT = Bytes.ascii("softdnserror");

    /** The identification server's answer, or null. */
    interface Info {
        byte[] get(InetSocketAddress remote, InetSocketAddress local);
    }

    private TcpEnviron() {
    }

    /** {@code env(1)} arguments for a connection from {@code remote} to {@code local}. */
    static List<String> changes(InetSocketAddress local, InetSocketAddress remote, Ptr ptr, Info info) {
        List<String> unset = new ArrayList<>();
        List<String> set = new ArrayList<>();
        set.add("PROTO=TCP");
        set.add("TCPLOCALPORT=" + local.getPort());
        set.add("TCPLOCALIP=" + ip(local.getAddress()));
        host("TCPLOCALHOST", ptr.lookup(local.getAddress()), set, unset);
        set.add("TCPREMOTEPORT=" + remote.getPort());
        set.add("TCPREMOTEIP=" + ip(remote.getAddress()));
        host("TCPREMOTEHOST", ptr.lookup(remote.getAddress()), set, unset);
        byte[] ri = info == null ? null : info.get(remote, local);
        if (ri == null) {
            unset.add("TCPREMOTEINFO");
        } else {
            set.add("TCPREMOTEINFO=" + Bytes.str(ri));
        }
        List<String> out = new ArrayList<>();
        for (String u : unset) {
            out.add("-u");
            out.add(u);
        }
        out.add("--");
        out.addAll(set);
        return out;
    }

    private static void host(String var, byte[] name, List<String> set, List<String> unset) {
        if (name == null) {
            unset.add(var);
        } else {
            set.add(var + "=" + Bytes.str(Bytes.lower(name)));
        }
    }

    static String ip(InetAddress a) {
        if (a instanceof Inet4Address) {
            byte[] b = a.getAddress();
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        return a.getHostAddress();
    }
}
