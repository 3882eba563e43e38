package org.jqmail.remote;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Scan;

/**
 * IPv4 addresses the way qmail's {@code ip.c} handles them. An address is an {@code int} in
 * network order (first octet in the high byte).
 *
 * <p>Scanning follows {@code ip_scan}: four runs of decimal digits separated by dots, each value
 * reduced modulo 256 (qmail stores {@code scan_ulong}'s result into an {@code unsigned char}), so
 * {@code 300.1.1.1} is {@code 44.1.1.1}. {@code ip_scanbracket} accepts {@code [d.d.d.d]}.
 *
 * <p>See also: {@code ip.c}, {@code ipalloc.h}.
 */
public final class Ip {
    private Ip() {
    }

    /**
     * {@code ip_scan}: scans a dotted quad at {@code s[off..)}; returns the number of bytes
     * consumed (0 if there is none) and stores the address in {@code ip[0]}.
     */
    public static int scan(byte[] s, int off, int[] ip) {
        long[] u = new long[1];
        int pos = off;
        int v = 0;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (pos >= s.length || s[pos] != '.') {
                    return 0;
                }
                pos++;
            }
            int n = Scan.ulong(s, pos, s.length, u);
            if (n == 0) {
                return 0;
            }
            pos += n;
            v = (v << 8) | (int) (u[0] & 0xff);
        }
        ip[0] = v;
        return pos - off;
    }

    /** {@code ip_scanbracket}: {@code [d.d.d.d]}; returns bytes consumed or 0. */
    public static int scanBracket(byte[] s, int off, int[] ip) {
        if (off >= s.length || s[off] != '[') {
            return 0;
        }
        int n = scan(s, off + 1, ip);
        if (n == 0 || off + 1 + n >= s.length || s[off + 1 + n] != ']') {
            return 0;
        }
        return n + 2;
    }

    /**
     * True if the whole of {@code s} is a dotted quad or a bracketed one (the test
     * {@code dns_ip} and {@code dns_mxip} make before any lookup); the address goes to
     * {@code ip[0]}.
     */
    public static boolean literal(byte[] s, int[] ip) {
        if (s.length == 0) {
            return false;
        }
        return scan(s, 0, ip) == s.length || scanBracket(s, 0, ip) == s.length;
    }

    /** {@code ip_fmt}: dotted decimal. */
    public static byte[] fmt(int ip) {
        ByteBuf b = new ByteBuf(15);
        for (int shift = 24; shift >= 0; shift -= 8) {
            b.appendUlong((ip >>> shift) & 0xff);
            if (shift > 0) {
                b.append('.');
            }
        }
        return b.toByteArray();
    }

    /** The address from four network-order bytes. */
    public static int of(byte[] a) {
        return ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
    }

    /** The four network-order bytes of {@code ip}. */
    public static byte[] bytes(int ip) {
        return new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
    }

    /** The JDK form, for connecting; no lookup is made. */
    public static Inet4Address inet(int ip) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes(ip));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
