package org.jqmail.smtpd;

import java.util.Arrays;
import java.util.Base64;

/**
 * The client's bytes in SMTP AUTH (RFC 4954): base64 lines, and the PLAIN message of RFC 4616
 * ({@code [authzid] NUL authcid NUL passwd}). Pure functions of bytes, for the fuzz suite;
 * null means malformed ({@code 501 malformed auth input}).
 */
public final class AuthParse {
    private AuthParse() {
    }

    /**
     * {@code s[from..to)} decoded as RFC 4648 base64 with its padding, nothing else allowed
     * (no white space, no line breaks); null if it is not.
     */
    public static byte[] base64(byte[] s, int from, int to) {
        if (from < 0 || to > s.length || from > to || (to - from) % 4 != 0) {
            return null;
        }
        for (int i = from; i < to; i++) {
            byte c = s[i];
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
                    || c == '/' || (c == '=' && i >= to - 2);
            if (!ok) {
                return null;
            }
        }
        try {
            return Base64.getDecoder().decode(Arrays.copyOfRange(s, from, to));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The user and password of a decoded PLAIN message: exactly two NULs, a non-empty
     * authcid; the authzid is ignored (checkpassword has no use for it). Null if malformed.
     */
    public static byte[][] plain(byte[] m) {
        if (m == null) {
            return null;
        }
        int a = -1;
        int b = -1;
        for (int i = 0; i < m.length; i++) {
            if (m[i] == 0) {
                if (a < 0) {
                    a = i;
                } else if (b < 0) {
                    b = i;
                } else {
                    return null;
                }
            }
        }
        if (b < 0 || b == a + 1) {
            return null;
        }
        return new byte[][] {Arrays.copyOfRange(m, a + 1, b), Arrays.copyOfRange(m, b + 1, m.length)};
    }

    /** A LOGIN user name or password: decoded, without NUL (it would end the checkpassword field). */
    public static byte[] login(byte[] s, int from, int to) {
        byte[] d = base64(s, from, to);
        if (d == null) {
            return null;
        }
        for (byte c : d) {
            if (c == 0) {
                return null;
            }
        }
        return d;
    }
}
