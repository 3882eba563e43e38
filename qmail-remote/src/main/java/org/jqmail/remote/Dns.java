package org.jqmail.remote;

import java.util.ArrayList;
import java.util.List;

/**
 * Address lists for a host, qmail's {@code dns_ip} and {@code dns_mxip} (qmail-remote(8)).
 *
 * <p>{@link #mxip} returns the addresses of the exchangers in preference order (ties broken by
 * qmail's linear congruential generator from a seed), each carrying its exchanger's preference;
 * an exchanger whose A lookup fails temporarily is skipped and marks the result {@code soft}.
 * If the MX query fails permanently, or its answer holds no MX record, the host's own A records
 * are used with preference 0. A dotted quad or {@code [dotted quad]} is used as it is, with
 * preference 0, wherever a name would be looked up (the host itself, a relay, an exchanger).
 *
 * <p>See also: {@code dns.c}, {@code qmail-remote.c}.
 */
public final class Dns {
    /** An address and the preference of the MX it came from ({@code struct ip_mx}). */
    public record IpMx(int ip, int pref) {
    }

    /** The outcome of {@link #mxip}: addresses, and whether some lookup failed temporarily. */
    public record MxIp(List<IpMx> ips, boolean soft) {
    }

    private Dns() {
    }

    /** {@code dns_ip}: the A records of {@code host} (or the literal), preference 0. */
    public static List<IpMx> ip(Resolver r, byte[] host) throws Resolver.SoftFail, Resolver.HardFail {
        List<IpMx> out = new ArrayList<>();
        ipplus(r, out, host, 0);
        return out;
    }

    /** {@code dns_ipplus}: appends the addresses of {@code name} with preference {@code pref}. */
    private static void ipplus(Resolver r, List<IpMx> out, byte[] name, int pref)
            throws Resolver.SoftFail, Resolver.HardFail {
        int[] lit = new int[1];
        if (Ip.literal(name, lit)) {
            // qmail appends a literal with preference 0 even when it is an exchanger's name.
            out.add(new IpMx(lit[0], 0));
            return;
        }
        for (int a : r.a(name)) {
            out.add(new IpMx(a, pref));
        }
    }

    /**
     * {@code dns_mxip}.
     *
     * @param random qmail's seed: {@code now() + (getpid() << 16)}
     */
    public static MxIp mxip(Resolver r, byte[] host, long random)
            throws Resolver.SoftFail, Resolver.HardFail {
        int[] lit = new int[1];
        if (Ip.literal(host, lit)) {
            return new MxIp(List.of(new IpMx(lit[0], 0)), false);
        }
        List<Resolver.Mx> mx;
        try {
            mx = new ArrayList<>(r.mx(host));
        } catch (Resolver.HardFail e) {
            return new MxIp(ip(r, host), false);
        }
        if (mx.isEmpty()) {
            return new MxIp(ip(r, host), false);
        }
        List<IpMx> out = new ArrayList<>();
        boolean soft = false;
        // qmail's generator was written for a 32-bit unsigned long, where the test below keeps
        // each of numsame equal exchangers with probability 1/numsame. With a 64-bit long (as in
        // a C build on amd64) the test is almost never true and ties keep the DNS order; we keep
        // the intended spread of load over equal-preference exchangers.
        long rnd = random & 0xffffffffL;
        while (!mx.isEmpty()) {
            int i = 0;
            long numsame = 1;
            for (int j = 1; j < mx.size(); j++) {
                if (mx.get(j).pref() < mx.get(i).pref()) {
                    i = j;
                    numsame = 1;
                } else if (mx.get(j).pref() == mx.get(i).pref()) {
                    numsame++;
                    rnd = (rnd * 69069 + 1) & 0xffffffffL;
                    if ((rnd >>> 1) < 2147483647L / numsame) {
                        i = j;
                    }
                }
            }
            try {
                ipplus(r, out, mx.get(i).name(), mx.get(i).pref());
            } catch (Resolver.SoftFail e) {
                soft = true;
            } catch (Resolver.HardFail e) {
                // An exchanger without addresses is simply skipped.
            }
            // qmail removes the chosen entry by moving the last one into its place.
            int last = mx.size() - 1;
            mx.set(i, mx.get(last));
            mx.remove(last);
        }
        return new MxIp(out, soft);
    }
}
