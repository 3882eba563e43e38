package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The trigger FIFO {@code lock/trigger} (qmail-send(8), {@code trigger.c}). qmail-queue writes a
 * byte to it after queueing a message; that starts a new {@code todo/} scan.
 *
 * <p>A reader thread keeps the FIFO open read-write: reads then block until a writer writes,
 * and never see end of file (qmail keeps a write descriptor for the same reason on systems with
 * the FIFO bug), and writers' non-blocking opens always find a reader. Each read posts
 * {@link Events.Kind#TRIGGER}; the main thread records it with {@link #pull} and consumes it with
 * {@link #set} when a scan starts, as reopening the FIFO does in qmail.
 */
final class Trigger {
    private final Path fifo;
    private final Events ev;
    private boolean pulled;
    private Thread reader;

    Trigger(Path fifo, Events ev) {
        this.fifo = fifo;
        this.ev = ev;
    }

    /** {@code trigger_set}: forget earlier pulls; make sure someone is listening. */
    void set() {
        pulled = false;
        if (fifo != null && (reader == null || !reader.isAlive())) {
            reader = new Thread(this::listen, "trigger");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** Called by the main thread for each {@link Events.Kind#TRIGGER}. */
    void pull() {
        pulled = true;
    }

    /** {@code trigger_pulled}. */
    boolean pulled() {
        return pulled;
    }

    private void listen() {
        try (FileChannel ch = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
             InputStream in = Channels.newInputStream(ch)) {
            byte[] b = new byte[64];
            while (in.read(b) > 0) {
                ev.post(Events.Kind.TRIGGER, 0);
            }
        } catch (IOException e) {
            // No trigger: the 1500-second rescan still finds new mail; set() retries.
        }
    }
}
