package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqmail.io.fuzz.FuzzTarget;
import org.junit.jupiter.api.AfterEach;

/**
 * cdb files (users/cdb, tcp rules): any file is searched or refused with an IOException, never
 * read outside itself; and a cdb made from the input's lines finds every key's first value.
 */
class CdbFuzzTest extends FuzzTarget {
    private final Path dir;

    CdbFuzzTest() throws IOException {
        super("cdb", IOException.class);
        dir = Files.createTempDirectory("cdbfuzz");
    }

    @AfterEach
    void clean() throws IOException {
        Files.deleteIfExists(dir.resolve("made"));
        Files.deleteIfExists(dir.resolve("given"));
        Files.deleteIfExists(dir);
    }

    @Override
    protected List<byte[]> dictionary() {
        return List.of(new byte[] {0, 8, 0, 0}, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f},
                new byte[] {1, 0, 0, 0}, new byte[] {0, 0, 0, 0});
    }

    @Override
    protected void fuzz(byte[] input) throws IOException {
        Path given = dir.resolve("given");
        Files.write(given, input);
        try (Cdb cdb = Cdb.open(given)) {
            cdb.find(new byte[0]);
            for (int i = 0; i + 4 <= input.length && i < 64; i += 4) {
                cdb.find(input, i, Math.min(input.length - i, 1 + input[i] & 7));
            }
        } finally {
            madeFromLines(input);
        }
    }

    private void madeFromLines(byte[] input) throws IOException {
        Map<String, byte[]> first = new LinkedHashMap<>();
        Path made = dir.resolve("made");
        try (CdbMake m = new CdbMake(made)) {
            int start = 0;
            for (int i = 0; i <= input.length; i++) {
                if (i == input.length || input[i] == '\n') {
                    byte[] key = Arrays.copyOfRange(input, start, Math.min(i, start + 8));
                    byte[] data = Arrays.copyOfRange(input, Math.min(i, start + 8), i);
                    m.add(key, data);
                    first.putIfAbsent(Arrays.toString(key), data);
                    start = i + 1;
                }
            }
            m.finish();
        }
        try (Cdb cdb = Cdb.open(made)) {
            for (Map.Entry<String, byte[]> e : first.entrySet()) {
                String[] parts = e.getKey().substring(1, e.getKey().length() - 1).split(", ");
                byte[] key = new byte[e.getKey().equals("[]") ? 0 : parts.length];
                for (int k = 0; k < key.length; k++) {
                    key[k] = Byte.parseByte(parts[k]);
                }
                assertArrayEquals(e.getValue(), cdb.find(key));
            }
        }
    }
}
