// SPDX-License-Identifier: Unlicense
package org.jqmail.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The scratch queue of the queue benchmarks: a directory with {@code pid/}, {@code intd/},
 * {@code todo/} and {@code mess/0..22/} on a disk ({@code java.io.tmpdir}) or on tmpfs
 * ({@code /dev/shm}), emptied between iterations and removed at the end.
 */
final class ScratchQueue {
    static final int SPLIT = 23;

    /** The benchmark's own directory; the queue is its {@code queue/}. */
    final Path dir;
    final Path queue;

    /** Makes the queue under a new directory named {@code prefix...}; {@code fs} is disk or tmpfs. */
    ScratchQueue(String fs, String prefix) throws IOException {
        Path base = fs.equals("tmpfs") ? Paths.get("/dev/shm") : Paths.get(System.getProperty("java.io.tmpdir"));
        if (!Files.isDirectory(base)) {
            throw new IOException("no " + base + " for fs=" + fs);
        }
        dir = Files.createTempDirectory(base, prefix);
        queue = dir.resolve("queue");
        for (String d : List.of("pid", "intd", "todo", "mess")) {
            Files.createDirectories(queue.resolve(d));
        }
        for (int i = 0; i < SPLIT; i++) {
            Files.createDirectory(queue.resolve("mess/" + i));
        }
    }

    /** A message of at most {@code size} bytes: three header lines, then lines of 76 x. */
    static byte[] message(int size) {
        StringBuilder m = new StringBuilder("From: <loadgen@client.test>\nTo: <jqbench@bench.test>\nSubject: bench\n\n");
        String line = "x".repeat(76) + "\n";
        while (m.length() + line.length() <= size) {
            m.append(line);
        }
        return m.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Empties mess/, intd/, todo/ and pid/ so the directories do not grow between iterations. */
    void empty() throws IOException {
        for (String d : List.of("intd", "todo", "pid")) {
            deleteFiles(queue.resolve(d));
        }
        for (int i = 0; i < SPLIT; i++) {
            deleteFiles(queue.resolve("mess/" + i));
        }
    }

    /** Removes the whole directory. */
    void delete() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static void deleteFiles(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.delete(p);
            }
        }
    }
}
