package org.jqmail.control;

import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;

/**
 * RFC 822 local-part quoting as qmail's {@code quote.c} does it.
 */
public final class Quote {
    private static final boolean[] OK = new boolean[128];

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            OK[c] = true;
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            OK[c] = true;
        }
        for (int c = '0'; c <= '9'; c++) {
            OK[c] = true;
        }
        for (char c : "!#$%&'*+-/=?^_`{|}~.".toCharArray()) {
            OK[c] = true;
        }
    }

    private Quote() {
    }

    /** {@code quote_need}: true if the local part must be quoted. */
    public static boolean need(byte[] s, int off, int n) {
        if (n == 0) {
            return true;
        }
        for (int i = 0; i < n; i++) {
            int u = s[off + i] & 0xff;
            if (u >= 128 || !OK[u]) {
                return true;
            }
        }
        if (s[off] == '.' || s[off + n - 1] == '.') {
            return true;
        }
        for (int i = 0; i < n - 1; i++) {
            if (s[off + i] == '.' && s[off + i + 1] == '.') {
                return true;
            }
        }
        return false;
    }

    /** {@code quote}: the local part, wrapped in quotes with CR, LF, {@code "} and {@code \} escaped if needed. */
    public static byte[] quote(byte[] s, int off, int n) {
        if (!need(s, off, n)) {
            return Bytes.sub(s, off, off + n);
        }
        ByteBuf b = new ByteBuf(Math.addExact(Math.multiplyExact(n, 2), 2));
        b.append('"');
        for (int i = 0; i < n; i++) {
            byte c = s[off + i];
            if (c == '\r' || c == '\n' || c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        b.append('"');
        return b.toByteArray();
    }

    public static byte[] quote(byte[] s) {
        return quote(s, 0, s.length);
    }

    /**
     * {@code quote2}: empty stays empty; otherwise the part before the last {@code @} is quoted
     * and {@code @domain} appended verbatim; without {@code @} the whole address is quoted. Like
     * the C string it works on, the address ends at its first NUL.
     */
    public static byte[] quote2(byte[] addr) {
        int nul = Bytes.indexOf(addr, 0);
        byte[] s = nul >= 0 ? Bytes.sub(addr, 0, nul) : addr;
        if (s.length == 0) {
            return s;
        }
        int at = Bytes.lastIndexOf(s, '@');
        if (at < 0) {
            return quote(s, 0, s.length);
        }
        return Bytes.concat(quote(s, 0, at), Bytes.sub(s, at));
    }
}
