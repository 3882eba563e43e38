package org.jqmail.send;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jqmail.control.Control;

/** A scratch QMAILHOME with a queue laid out as doc/ARCHITECTURE.md §4 says, for in-process tests. */
final class QueueFixture {
    static final int SPLIT = 23;

    final Path home;
    final Path queue;
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final Log log = new Log(logBytes);
    final FakeClock clock = new FakeClock(1_000_000_000L);
    final SendState st = new SendState(clock);
    QueueFiles files;

    /** A settable clock whose sleeps only advance time. */
    static final class FakeClock implements SendState.Clock {
        long t;
        volatile int sleeps;

        FakeClock(long t) {
            this.t = t;
        }

        @Override
        public long now() {
            return t;
        }

        @Override
        public void sleep(long seconds) {
            sleeps++;
            t += seconds;
        }
    }

    QueueFixture(Path home) throws IOException {
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
        control("me", "example.test");
        files = new QueueFiles(queue, SPLIT);
    }

    void control(String name, String content) throws IOException {
        Files.write(home.resolve("control").resolve(name), b(content + "\n"));
    }

    Controls controls() throws IOException {
        return Controls.read(Control.forHome(home));
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Queues message {@code id} as qmail-queue would: mess, intd, todo. */
    void queueMessage(long id, String message, String todo) throws IOException {
        Files.write(queue.resolve(files.mess(id)), b(message));
        Files.write(queue.resolve("intd/" + id), b(todo));
        Files.createLink(queue.resolve("todo/" + id), queue.resolve("intd/" + id));
    }

    byte[] read(String rel) throws IOException {
        return Files.readAllBytes(queue.resolve(rel));
    }

    boolean exists(String rel) {
        return Files.exists(queue.resolve(rel));
    }

    /** The log so far, as lines. */
    List<String> logLines() {
        String all = s(logBytes.toByteArray());
        return all.isEmpty() ? List.of() : Arrays.asList(all.split("\n", -1)).subList(0, all.split("\n", -1).length - 1);
    }
}
