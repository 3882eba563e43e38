package org.jqmail.smtpd;

import java.io.IOException;
import org.jqmail.io.ByteBuf;

/**
 * qmail-smtpd's {@code addrparse} (qmail-smtpd(8)): the address of a MAIL or RCPT argument.
 *
 * <p>With a {@code <} the address runs from after the first {@code <} to the next unquoted
 * {@code >}; without one, from after the first {@code :} (spaces skipped) to the next unquoted
 * space; with neither it is empty. A leading source route up to the first {@code :} is dropped,
 * a backslash escapes the next byte, double quotes toggle quoting and vanish, a missing
 * terminator is tolerated. {@code user@[a.b.c.d]} naming one of this host's addresses becomes
 * {@code user@localiphost} when {@code localiphost} is known.
 *
 * <p>The argument is a C string: the command line was cut at its first NUL already.
 * The result is refused (null: {@code 555 syntax error}) when it is 900 bytes or longer,
 * because qmail counts the terminating NUL in its 900-byte limit.
 */
final class Addr {
    /** qmail-smtpd refuses {@code addr.len > 900}, where len includes the NUL. */
    static final int MAX_WITH_NUL = 900;

    /** This host's addresses, looked up only when an address needs them. */
    interface Ipme {
        boolean is(byte[] ip4) throws IOException;
    }

    private Addr() {
    }

    /** The address, or null if it is too long. */
    static byte[] parse(byte[] line, int from, int to, byte[] liphost, Ipme ipme) throws IOException {
        byte terminator = '>';
        int i = indexOf(line, from, to, '<');
        if (i < to) {
            i++;
        } else {
            terminator = ' ';
            i = indexOf(line, from, to, ':');
            if (i < to) {
                i++;
            }
            while (i < to && line[i] == ' ') {
                i++;
            }
        }
        if (i < to && line[i] == '@') {
            while (i < to) {
                if (line[i++] == ':') {
                    break;
                }
            }
        }
        ByteBuf addr = new ByteBuf(64, to - i + 1);
        boolean esc = false;
        boolean quoted = false;
        for (; i < to; i++) {
            byte ch = line[i];
            if (esc) {
                addr.append(ch);
                esc = false;
            } else {
                if (!quoted && ch == terminator) {
                    break;
                }
                if (ch == '\\') {
                    esc = true;
                } else if (ch == '"') {
                    quoted = !quoted;
                } else {
                    addr.append(ch);
                }
            }
        }
        byte[] a = addr.toByteArray();
        if (liphost != null) {
            a = localIp(a, liphost, ipme);
        }
        return a.length + 1 > MAX_WITH_NUL ? null : a;
    }

    private static int indexOf(byte[] s, int from, int to, int c) {
        for (int i = from; i < to; i++) {
            if (s[i] == c) {
                return i;
            }
        }
        return to;
    }

    /** {@code user@[d.d.d.d]} naming this host becomes {@code user@liphost}. */
    private static byte[] localIp(byte[] a, byte[] liphost, Ipme ipme) throws IOException {
        int at = org.jqmail.io.Bytes.lastIndexOf(a, '@');
        if (at < 0 || at + 1 >= a.length || a[at + 1] != '[') {
            return a;
        }
        byte[] ip = new byte[4];
        int n = scanBracket(a, at + 1, ip);
        if (n == 0 || at + 1 + n != a.length || !ipme.is(ip)) {
            return a;
        }
        byte[] r = new byte[at + 1 + liphost.length];
        System.arraycopy(a, 0, r, 0, at + 1);
        System.arraycopy(liphost, 0, r, at + 1, liphost.length);
        return r;
    }

    /** {@code ip_scanbracket}: bytes consumed by {@code [d.d.d.d]}, or 0. */
    static int scanBracket(byte[] s, int off, byte[] ip) {
        if (off >= s.length || s[off] != '[') {
            return 0;
        }
        int len = scan(s, off + 1, ip);
        if (len == 0 || off + 1 + len >= s.length || s[off + 1 + len] != ']') {
            return 0;
        }
        return len + 2;
    }

    /**
     * {@code ip_scan}: four decimal numbers separated by dots; each is taken modulo 256, as
     * qmail stores {@code scan_ulong}'s result in an unsigned char.
     */
    static int scan(byte[] s, int off, byte[] ip) {
        int p = off;
        long[] u = new long[1];
        for (int k = 0; k < 4; k++) {
            if (k > 0) {
                if (p >= s.length || s[p] != '.') {
                    return 0;
                }
                p++;
            }
            int n = org.jqmail.io.Scan.ulong(s, p, s.length, u);
            if (n == 0) {
                return 0;
            }
            ip[k] = (byte) u[0];
            p += n;
        }
        return p - off;
    }
}
