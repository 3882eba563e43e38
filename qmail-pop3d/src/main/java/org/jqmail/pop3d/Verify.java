package org.jqmail.pop3d;

import java.io.IOException;
import java.security.MessageDigest;
import org.jqmail.io.Bytes;
import org.jqmail.io.nat.Crypt;

/**
 * checkpassword's decision: is this password right for this login, and may the account log
 * in at all.
 *
 * <p>Refused (a failed login, status 1): a login name that is empty, starts with {@code -} or
 * holds anything but printable ASCII without {@code :} (no account name has such bytes, and
 * they could not reach getent unchanged); no such account; uid 0 (root never logs in over
 * POP3 or any other checkpassword service: qmail-pop3d would refuse to serve it anyway, and a
 * root password should not cross the network); an empty hash (the original checkpassword
 * rejects accounts with empty passwords) or a locked one ({@code !} or {@code *} in front); an
 * account past its shadow expiry day (as login(1) refuses it); and of course a password whose
 * crypt(3) differs from the stored hash.
 *
 * <p>Security: the hashes are compared in constant time ({@link MessageDigest#isEqual}), and
 * every refusal before the real comparison still runs crypt(3) once on a fixed yescrypt
 * setting, so that the time taken does not tell which accounts exist (except on a host whose
 * nsswitch.conf names sources besides the files: there a name missing from the files also
 * costs the getent look-ups of {@link Accounts}). Temporary failures (/etc/passwd, getent or
 * libcrypt unusable) throw {@link IOException}.
 *
 * <p>See also: checkpassword(8), crypt(3), shadow(5), doc/POP3.md.
 */
final class Verify {
    /** A yescrypt setting with the default cost, for refusals (see above). */
    static final byte[] DUMMY = Bytes.ascii("$y$j9T$F5Jx5fExrKuPp53xLKQ..1$");

    /** Looks an account up; {@link Accounts#lookup} in production. */
    interface Lookup {
        Accounts.Account get(String name) throws IOException;
    }

    /** Computes crypt(3); {@link Crypt#crypt} in production. */
    interface Hash {
        byte[] crypt(byte[] key, byte[] setting) throws IOException;
    }

    private final Lookup lookup;
    private final Hash hash;
    private final long today;

    /** {@code today}: days since 1970-01-01 (UTC), for shadow's expiry day. */
    Verify(Lookup lookup, Hash hash, long today) {
        this.lookup = lookup;
        this.hash = hash;
        this.today = today;
    }

    /** The account if {@code c} may log in, else null. */
    Accounts.Account check(Credentials c) throws IOException {
        String name = name(c.login());
        Accounts.Account a = name == null ? null : lookup.get(name);
        if (a == null || a.uid() == 0 || !usable(a.hash()) || expired(a)) {
            hash.crypt(c.password(), DUMMY);
            return null;
        }
        byte[] h = hash.crypt(c.password(), a.hash());
        return h != null && MessageDigest.isEqual(h, a.hash()) ? a : null;
    }

    /** The login as a String if it could be an account name, else null. */
    static String name(byte[] login) {
        if (login.length == 0 || login[0] == '-') {
            return null;
        }
        for (byte b : login) {
            if (b <= ' ' || b >= 127 || b == ':') {
                return null;
            }
        }
        return Bytes.str(login);
    }

    private static boolean usable(byte[] h) {
        return h.length > 0 && h[0] != '!' && h[0] != '*';
    }

    private boolean expired(Accounts.Account a) {
        return a.expire() >= 0 && today >= a.expire();
    }
}
