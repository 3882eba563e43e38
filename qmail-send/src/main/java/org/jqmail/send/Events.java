package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The event queue that stands in for qmail-send's {@code select()}: Java cannot select on
 * pipes, so one reader thread per input descriptor (the two spawn report pipes, the trigger)
 * and one writer thread per spawn command pipe post what happened here, and the main thread,
 * which alone holds the scheduling state, waits on this queue with the select timeout.
 */
final class Events {
    enum Kind {
        /** Bytes of delivery reports from a spawn ({@code data[0..len)}). */
        REPORT,
        /** A spawn's report pipe reached end of file or failed. */
        SPAWN_EOF,
        /** Writing a command to a spawn failed (broken pipe). */
        WRITE_DIED,
        /** Somebody pulled the trigger. */
        TRIGGER,
        /** Reply bytes from qmail-clean ({@code data}). */
        CLEANED,
        /** qmail-clean's reply pipe reached end of file or failed. */
        CLEAN_EOF,
        /** Work handed back to the main thread ({@code task}). */
        TASK,
        /** A signal arrived (its flag is already set); just wake up. */
        WAKE
    }

    record Event(Kind kind, int channel, byte[] data, Runnable task) {
    }

    /** Read size of the report pipes, as qmail-send's {@code delbuf}. */
    static final int DELBUF = 2048;

    private final LinkedBlockingQueue<Event> q = new LinkedBlockingQueue<>();

    void post(Kind k, int channel, byte[] data) {
        q.add(new Event(k, channel, data, null));
    }

    /** Has the main thread run {@code task} (from any thread). */
    void post(Runnable task) {
        q.add(new Event(Kind.TASK, 0, null, task));
    }

    void post(Kind k, int channel) {
        post(k, channel, null);
    }

    /** Waits at most {@code millis} (0: do not wait) for the next event; null if none. */
    Event poll(long millis) {
        try {
            return millis <= 0 ? q.poll() : q.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The next event already queued, or null. */
    Event pollNow() {
        return q.poll();
    }

    /** Starts a daemon thread copying a spawn's reports into the queue. */
    void readSpawn(int channel, InputStream in) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[DELBUF];
            for (;;) {
                int r;
                try {
                    r = in.read(buf);
                } catch (IOException e) {
                    r = -1;
                }
                if (r <= 0) {
                    post(Kind.SPAWN_EOF, channel);
                    return;
                }
                post(Kind.REPORT, channel, java.util.Arrays.copyOf(buf, r));
            }
        }, "spawn-reader-" + channel);
        t.setDaemon(true);
        t.start();
    }
}
