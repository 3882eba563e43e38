package org.jqmail.io.nat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * C strings and string vectors for {@link Libc}.
 *
 * <p>A Java {@code String} crosses into C as its ISO-8859-1 bytes, the project's lossless
 * byte view (doc/CODING.md §3), and C strings come back the same way: an argv word or a home
 * directory keeps its exact bytes, whatever the JVM's default charset. A string with a NUL or
 * with a character above U+00FF has no such view and is refused.
 */
final class CStr {
    private CStr() {
    }

    /** The NUL-terminated bytes of {@code s}. */
    static byte[] of(String s) {
        int n = s.length();
        byte[] b = new byte[n + 1];
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0 || c > 0xff) {
                throw new IllegalArgumentException("not a C string (char " + (int) c + " at " + i + ")");
            }
            b[i] = (byte) c;
        }
        return b;
    }

    /**
     * A NULL-terminated vector of C strings (argv, envp) in one block of native memory: the
     * pointer slots first, then the strings. The block is freed when the returned pointer is
     * garbage: keep it reachable until the native call has returned.
     */
    static Pointer vector(Runtime rt, List<String> words) {
        int slots = (words.size() + 1) * rt.addressSize();
        byte[][] bytes = new byte[words.size()][];
        long total = slots;
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = of(words.get(i));
            total = Math.addExact(total, bytes[i].length);
        }
        Pointer block = Memory.allocateDirect(rt, total, true);
        long at = slots;
        for (int i = 0; i < bytes.length; i++) {
            block.put(at, bytes[i], 0, bytes[i].length);
            block.putAddress((long) i * rt.addressSize(), block.address() + at);
            at += bytes[i].length;
        }
        block.putAddress((long) bytes.length * rt.addressSize(), 0L);
        return block;
    }

    /** The C string at {@code p}, or null for a NULL pointer. */
    static String read(Pointer p) {
        if (p == null || p.address() == 0) {
            return null;
        }
        int n = p.indexOf(0, (byte) 0);
        byte[] b = new byte[n];
        p.get(0, b, 0, n);
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
