package org.jqmail.queue;

import java.io.IOException;
import java.nio.file.Path;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;

/**
 * qmail-queue's {@code triggerpull}: tells qmail-send that something is in {@code todo/} by
 * writing one byte to the FIFO {@code queue/lock/trigger}, opened write-only and non-blocking,
 * so that nothing waits when qmail-send is not reading (the open then fails harmlessly).
 * Every error is ignored: qmail-send also scans {@code todo/} on its own.
 *
 * <p>See also: {@code triggerpull.c}, qmail-send(8).
 */
interface Trigger {
    void pull();

    /** The FIFO at {@code queue/lock/trigger}. Needs the native layer (non-blocking open). */
    static Trigger fifo(Path queue) {
        String path = queue.resolve("lock").resolve("trigger").toString();
        return () -> {
            Posix px = Nat.posix();
            int fd;
            try {
                fd = px.open(path, Posix.O_WRONLY | Posix.O_NONBLOCK, 0);
            } catch (IOException | RuntimeException e) {
                return;
            }
            try {
                px.write(fd, new byte[1], 0, 1);
            } catch (IOException | RuntimeException e) {
                // Ignored, as in triggerpull.c.
            } finally {
                try {
                    px.close(fd);
                } catch (IOException | RuntimeException e) {
                    // Nothing to do.
                }
            }
        };
    }
}
