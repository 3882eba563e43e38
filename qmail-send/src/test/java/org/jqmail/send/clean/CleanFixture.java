package org.jqmail.send.clean;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;
import org.jqmail.control.QueuePaths;

/**
 * A scratch QMAILHOME with a queue laid out as qmail-send's tests lay it out
 * ({@code org.jqmail.send.QueueFixture}), for qmail-clean's tests: qmail-clean sees the queue
 * as its own user does, so it shares no test code with qmail-send either.
 */
final class CleanFixture {
    static final int SPLIT = 23;

    final Path home;
    final Path queue;
    final Clock clock = new Clock(1_000_000_000L);
    private final QueuePaths qp = new QueuePaths(SPLIT);

    /** A settable clock. */
    static final class Clock implements LongSupplier {
        long t;

        Clock(long t) {
            this.t = t;
        }

        @Override
        public long getAsLong() {
            return t;
        }
    }

    CleanFixture(Path home) throws IOException {
        this.home = home;
        this.queue = home.resolve("queue");
        for (String d : List.of("control", "queue/todo", "queue/intd", "queue/bounce", "queue/lock",
                "queue/pid")) {
            Files.createDirectories(home.resolve(d));
        }
        for (String d : List.of("mess", "info", "local", "remote")) {
            for (int i = 0; i < SPLIT; i++) {
                Files.createDirectories(queue.resolve(d).resolve(Integer.toString(i)));
            }
        }
        Files.write(queue.resolve("lock/sendmutex"), new byte[0]);
        Files.write(home.resolve("control/me"), b("example.test\n"));
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Queues message {@code id} as qmail-queue would: mess, intd, todo. */
    void queueMessage(long id, String message, String todo) throws IOException {
        Files.write(queue.resolve(qp.mess(id)), b(message));
        Files.write(queue.resolve("intd/" + id), b(todo));
        Files.createLink(queue.resolve("todo/" + id), queue.resolve("intd/" + id));
    }

    byte[] read(String rel) throws IOException {
        return Files.readAllBytes(queue.resolve(rel));
    }

    boolean exists(String rel) {
        return Files.exists(queue.resolve(rel));
    }
}
