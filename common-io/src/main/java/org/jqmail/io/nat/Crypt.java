package org.jqmail.io.nat;

import java.io.IOException;
import java.util.Arrays;

/**
 * The C library's crypt(3): hashes a password with the method, cost and salt named by a
 * setting (an existing hash from {@code /etc/shadow} will do), so that every kind of hash the
 * system's libcrypt knows is verified exactly as login(1) verifies it: yescrypt ({@code $y$},
 * Debian 12's default), gost-yescrypt, scrypt, bcrypt, SHA-512, SHA-256, MD5, DES and the
 * others libxcrypt supports.
 *
 * <p>Two ways to reach libcrypt, chosen once: on a Java runtime of version 22 or later the
 * JDK's own foreign-function interface (java.lang.foreign, called reflectively because the
 * bytecode targets Java 17), which starts in a fraction of jnr's time; before that jnr-ffi.
 * On Java 22 and later the launcher must enable native access (the {@code +ffm} and
 * {@code +native} kinds of scripts/programs) for it to run without warnings.
 *
 * <p>Failure: the returned hash is null when libcrypt refuses the setting (it returns NULL or
 * one of its failure tokens, {@code *0} or {@code *1}, which can never equal a stored hash
 * either); an {@link IOException} when libcrypt cannot be loaded or called at all.
 *
 * <p>Security: the key is copied into native memory for the call only and that copy is zeroed
 * afterwards; the caller zeroes its own array. Not thread-safe (crypt(3) has one static
 * result buffer), which suits the single-threaded checkpassword.
 *
 * <p>See also: crypt(3), crypt(5), checkpassword(8).
 */
public final class Crypt {
    private Crypt() {
    }

    /** What crypt(3) is called through. */
    interface Impl {
        /** NUL-free key and setting; the hash's bytes, or null for a failure. */
        byte[] crypt(byte[] key, byte[] setting) throws IOException;
    }

    private static Impl impl;

    private static synchronized Impl impl() throws IOException {
        if (impl == null) {
            try {
                impl = Runtime.version().feature() >= 22 ? new FfmCrypt() : new JnrCrypt();
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                throw new IOException("unable to load libcrypt: " + e, e);
            }
        }
        return impl;
    }

    /**
     * crypt({@code key}, {@code setting}): the hash, or null if libcrypt fails or either
     * argument holds a NUL byte (which no C string can).
     */
    public static synchronized byte[] crypt(byte[] key, byte[] setting) throws IOException {
        if (indexOf0(key) >= 0 || indexOf0(setting) >= 0) {
            return null;
        }
        byte[] h = impl().crypt(key, setting);
        if (h == null || h.length == 0 || h[0] == '*') {
            return null;
        }
        return h;
    }

    private static int indexOf0(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@code b} plus a terminating NUL. */
    static byte[] cstr(byte[] b) {
        return Arrays.copyOf(b, b.length + 1);
    }
}
