package org.jqmail.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Byte-exact golden files in {@code src/test/resources/golden}. Run with
 * {@code -Djqmail.golden.write=DIR} to (re)write them into DIR for review.
 */
final class Golden {
    private Golden() {
    }

    static void check(String name, byte[] actual) throws IOException {
        String w = System.getProperty("jqmail.golden.write");
        if (w != null) {
            Files.write(Paths.get(w).resolve(name), actual);
        }
        byte[] want;
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new AssertionError("no golden file " + name);
            }
            want = in.readAllBytes();
        }
        assertEquals(new String(want, StandardCharsets.ISO_8859_1), new String(actual, StandardCharsets.ISO_8859_1),
                name);
    }

    static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, content.getBytes(StandardCharsets.ISO_8859_1));
    }
}
