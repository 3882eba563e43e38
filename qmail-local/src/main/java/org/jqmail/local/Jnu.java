package org.jqmail.local;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Byte strings to the JDK's operating-system Strings and back. The JDK encodes file names,
 * argv and environment values with the platform's {@code sun.jnu.encoding} (from the locale),
 * not with a lossless charset, so qmail-local's bytes (local parts, paths in {@code .qmail}
 * files) must be decoded with that same charset to reach the kernel unchanged.
 *
 * <p>Known limit: bytes that are not valid in that charset (any byte ≥ 128 under the C locale,
 * malformed UTF-8 under a UTF-8 locale) cannot pass through the JDK at all. Under a UTF-8
 * locale ({@code LC_ALL=C.UTF-8}) UTF-8 local parts and file names pass unchanged; under the C
 * locale only ASCII does.
 */
final class Jnu {
    private static final Charset CHARSET = charset();

    private Jnu() {
    }

    private static Charset charset() {
        String name = System.getProperty("sun.jnu.encoding");
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** The OS string for bytes (file names, environment values, command lines). */
    static String str(byte[] b) {
        return new String(b, CHARSET);
    }

    /** The bytes the JVM received for an OS string (argv). */
    static byte[] bytes(String s) {
        return s.getBytes(CHARSET);
    }

    /** A path from bytes, relative paths taken against {@code base}. */
    static Path path(Path base, byte[] b) {
        return base.resolve(str(b));
    }

    static Path path(byte[] b) {
        return Paths.get(str(b));
    }
}
