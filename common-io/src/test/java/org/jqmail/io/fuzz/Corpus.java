package org.jqmail.io.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A target's seed corpus: the files of {@code fuzz/NAME/} on the test class path. */
public final class Corpus {
    private Corpus() {
    }

    /** Every file of the corpus, in name order. */
    static List<byte[]> load(Class<?> owner, String name) throws IOException {
        URL url = owner.getResource("/fuzz/" + name);
        if (url == null) {
            return List.of();
        }
        Path dir;
        try {
            dir = Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(Files::isRegularFile).sorted().forEach(f -> {
                try {
                    out.add(Files.readAllBytes(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return out;
    }

    /** {@code b} as a Java string literal (at most 300 bytes of it), for failure messages. */
    public static String show(byte[] b) {
        StringBuilder s = new StringBuilder().append(b.length).append(" bytes \"");
        for (int i = 0; i < b.length && i < 300; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '\r' -> s.append("\\r");
                case '\n' -> s.append("\\n");
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> s.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\u%04x", c));
            }
        }
        return s.append(b.length > 300 ? "\"..." : "\"").toString();
    }
}
