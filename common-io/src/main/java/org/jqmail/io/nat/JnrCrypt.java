package org.jqmail.io.nat;

import java.io.IOException;
import java.util.Arrays;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;

/** {@link Crypt} through jnr-ffi (Java runtimes before 22). */
final class JnrCrypt implements Crypt.Impl {
    /**
     * libcrypt's crypt. Public only because jnr-ffi generates its implementation in a class
     * loader of its own (see {@link Libc}).
     */
    public interface LibCrypt {
        Pointer crypt(@In byte[] key, @In byte[] setting);
    }

    private final LibCrypt lib;

    JnrCrypt() {
        // libcrypt.so.1 is what a system without the development package has.
        lib = LibraryLoader.create(LibCrypt.class).library("crypt").library("libcrypt.so.1").load();
    }

    @Override
    public byte[] crypt(byte[] key, byte[] setting) throws IOException {
        byte[] k = Crypt.cstr(key);
        try {
            Pointer p = lib.crypt(k, Crypt.cstr(setting));
            if (p == null || p.address() == 0) {
                return null;
            }
            int n = p.indexOf(0, (byte) 0);
            if (n < 0) {
                return null;
            }
            byte[] b = new byte[n];
            p.get(0, b, 0, n);
            return b;
        } finally {
            Arrays.fill(k, (byte) 0);
        }
    }
}
