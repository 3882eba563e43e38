package org.jqmail.send;

import java.util.Arrays;
import org.jqmail.control.ConstMap;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;

/**
 * Address rewriting in qmail-send (qmail-send(8), doc/PROTOCOLS.md §3): the channel choice for a
 * recipient ({@code rewrite}: envnoathost, percenthack, locals, virtualdomains), the per-recipient
 * VERP expansion of the sender ({@code senderadd}) and the undoing of a virtual-domain prefix in a
 * bounce ({@code stripvdomprepend}).
 */
final class Rewrite {
    static final int LOCAL = 0;
    static final int REMOTE = 1;

    private static final byte[] VERP = Bytes.ascii("-@[]");

    private Rewrite() {
    }

    /** A rewritten recipient and its channel. */
    record Result(int channel, byte[] addr) {
    }

    /** {@code byte_rchr(s, n, c)}: index of the last {@code c} in {@code s[0..n)}, or n. */
    static int rchr(byte[] s, int n, int c) {
        for (int i = n - 1; i >= 0; i--) {
            if (s[i] == (byte) c) {
                return i;
            }
        }
        return n;
    }

    static Result rewrite(byte[] recip, Controls ctl) {
        byte[] addr = recip;
        int i = rchr(addr, addr.length, '@');
        if (i == addr.length) {
            addr = Bytes.concat(addr, Bytes.ascii("@"), ctl.envnoathost);
        }
        int len = addr.length;
        addr = addr.clone();
        while (ctl.percenthack.contains(addr, i + 1, len - i - 1)) {
            int j = rchr(addr, i, '%');
            if (j == i) {
                break;
            }
            len = i;
            i = j;
            addr[i] = '@';
        }
        addr = Arrays.copyOf(addr, len);
        int at = rchr(addr, len, '@');
        if (ctl.locals.contains(addr, at + 1, len - at - 1)) {
            return new Result(LOCAL, addr);
        }
        ConstMap vdoms = ctl.vdoms;
        for (i = 0; i <= len; i++) {
            if (i == 0 || i == at + 1 || i == len || (i > at && addr[i] == '.')) {
                byte[] x = vdoms.get(addr, i, len - i);
                if (x != null) {
                    if (x.length == 0) {
                        break;
                    }
                    return new Result(LOCAL, Bytes.concat(x, Bytes.ascii("-"), addr));
                }
            }
        }
        return new Result(REMOTE, addr);
    }

    /**
     * {@code senderadd}: for a VERP sender {@code PRE@HOST-@[]} and a recipient {@code BOX@DOM},
     * {@code PREBOX=DOM@HOST}; otherwise the sender unchanged.
     */
    static byte[] verp(byte[] sender, byte[] recip) {
        int i = sender.length;
        if (i >= 4 && Bytes.endsWith(sender, VERP)) {
            int j = rchr(sender, i - 4, '@');
            int k = rchr(recip, recip.length, '@');
            if (k < recip.length && j + 5 <= i) {
                ByteBuf b = new ByteBuf(Math.addExact(sender.length, recip.length) + 2);
                b.append(sender, 0, j);
                b.append(recip, 0, k);
                b.append('=');
                b.append(recip, k + 1, recip.length - k - 1);
                b.append('@');
                b.append(sender, j + 1, i - 5 - j);
                return b.toByteArray();
            }
        }
        return sender;
    }

    /** {@code stripvdomprepend}: {@code P-user@dom} back to {@code user@dom} for a bounce. */
    static byte[] stripVdomPrepend(byte[] recip, ConstMap vdoms) {
        int at = rchr(recip, recip.length, '@');
        if (at == recip.length) {
            return recip;
        }
        int dom = at + 1;
        int dlen = recip.length - dom;
        for (int i = 0; i <= dlen; i++) {
            if (i == 0 || i == dlen || recip[dom + i] == '.') {
                byte[] p = vdoms.get(recip, dom + i, dlen - i);
                if (p != null) {
                    if (p.length == 0) {
                        break;
                    }
                    if (!Bytes.startsWith(recip, p) || recip.length <= p.length
                            || recip[p.length] != '-') {
                        break;
                    }
                    return Bytes.sub(recip, p.length + 1);
                }
            }
        }
        return recip;
    }
}
