package org.jqmail.smtpd;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;

/**
 * qmail's {@code ipme.c}: this host's IPv4 addresses, always including 0.0.0.0 (netqmail
 * 1.04). Enumerated on first use only, so a session that never sees {@code user@[a.b.c.d]}
 * never pays for it; a failure is an {@link IOException} (qmail-smtpd answers
 * {@code 421 unable to figure out my IP addresses}).
 */
final class Ipme implements Addr.Ipme {
    private List<byte[]> addrs;

    @Override
    public boolean is(byte[] ip4) throws IOException {
        if (addrs == null) {
            addrs = enumerate();
        }
        for (byte[] a : addrs) {
            if (Arrays.equals(a, ip4)) {
                return true;
            }
        }
        return false;
    }

    private static List<byte[]> enumerate() throws IOException {
        List<byte[]> l = new ArrayList<>();
        l.add(new byte[4]);
        try {
            Enumeration<NetworkInterface> ifs = NetworkInterface.getNetworkInterfaces();
            while (ifs != null && ifs.hasMoreElements()) {
                Enumeration<InetAddress> as = ifs.nextElement().getInetAddresses();
                while (as.hasMoreElements()) {
                    InetAddress a = as.nextElement();
                    if (a instanceof Inet4Address) {
                        l.add(a.getAddress());
                    }
                }
            }
        } catch (SocketException e) {
            throw new IOException("unable to figure out my IP addresses", e);
        }
        return l;
    }
}
