package org.jqmail.remote;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Arrays;
import java.util.Enumeration;

/**
 * This machine's own IPv4 addresses, qmail's {@code ipme.c} (qmail-remote(8)): 0.0.0.0 (which
 * always means "this host", RFC 1122 §3.2.1.3, netqmail 1.04) plus every IPv4 address of every
 * interface that is up. Candidates among them are not used for delivery, so that a
 * misconfigured MX does not make qmail talk to itself.
 *
 * <p>See also: {@code ipme.c}; netqmail 1.04 counts 0.0.0.0 as local.
 */
public final class Ipme {
    private final int[] addrs;

    /** A fixed set (tests); 0.0.0.0 is added. */
    public static Ipme of(int... ips) {
        int[] a = Arrays.copyOf(ips, ips.length + 1);
        a[ips.length] = 0;
        return new Ipme(a);
    }

    private Ipme(int[] addrs) {
        this.addrs = addrs;
    }

    /** {@code ipme_init}: reads the interfaces now. */
    public static Ipme local() throws IOException {
        int[] a = new int[16];
        int n = 0;
        a[n++] = 0;
        Enumeration<NetworkInterface> ifs = NetworkInterface.getNetworkInterfaces();
        while (ifs != null && ifs.hasMoreElements()) {
            NetworkInterface nif = ifs.nextElement();
            if (!nif.isUp()) {
                continue;
            }
            Enumeration<InetAddress> as = nif.getInetAddresses();
            while (as.hasMoreElements()) {
                InetAddress x = as.nextElement();
                if (x instanceof Inet4Address) {
                    if (n == a.length) {
                        a = Arrays.copyOf(a, n * 2);
                    }
                    a[n++] = Ip.of(x.getAddress());
                }
            }
        }
        return new Ipme(Arrays.copyOf(a, n));
    }

    /** {@code ipme_is}. */
    public boolean is(int ip) {
        for (int a : addrs) {
            if (a == ip) {
                return true;
            }
        }
        return false;
    }
}
