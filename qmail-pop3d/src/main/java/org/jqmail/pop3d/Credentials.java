package org.jqmail.pop3d;

import java.util.Arrays;

/**
 * What a checkpassword program reads on descriptor 3: a login name, a password and a
 * timestamp, each ended by a NUL, perhaps followed by more data, at most {@link #MAX} bytes in
 * all (the checkpassword interface).
 *
 * <p>Synopsis: {@link #parse} splits the bytes read and is the fuzz entry point. The checks are
 * those of the original checkpassword: the login and the password must each end with a NUL
 * inside the data, otherwise the caller was misusing the interface (exit status 2). The
 * timestamp is not looked at: it is for programs that verify challenge-response logins, which
 * this one does not (an APOP digest never matches a crypt(3) hash).
 *
 * <p>Security: {@link #wipe} zeroes the bytes.
 *
 * <p>See also: the checkpassword interface (https://cr.yp.to/checkpwd/interface.html),
 * doc/POP3.md.
 */
public final class Credentials {
    /** At most this many bytes before end of file; more is a failed login (status 1). */
    public static final int MAX = 512;

    private final byte[] login;
    private final byte[] password;

    private Credentials(byte[] login, byte[] password) {
        this.login = login;
        this.password = password;
    }

    /** The login name, without its NUL. */
    public byte[] login() {
        return login;
    }

    /** The password, without its NUL. */
    public byte[] password() {
        return password;
    }

    /** Zeroes the password (and the login: both are secrets to the interface). */
    public void wipe() {
        Arrays.fill(login, (byte) 0);
        Arrays.fill(password, (byte) 0);
    }

    /** Splits {@code up[0..len)}; null if the data is malformed (misuse, status 2). */
    public static Credentials parse(byte[] up, int len) {
        int i = 0;
        if (i >= len) {
            return null;
        }
        int loginEnd = indexOf0(up, i, len);
        if (loginEnd < 0) {
            return null;
        }
        i = loginEnd + 1;
        if (i >= len) {
            return null;
        }
        int passEnd = indexOf0(up, i, len);
        if (passEnd < 0) {
            return null;
        }
        return new Credentials(Arrays.copyOf(up, loginEnd), Arrays.copyOfRange(up, i, passEnd));
    }

    private static int indexOf0(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
