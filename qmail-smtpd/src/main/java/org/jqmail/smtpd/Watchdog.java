package org.jqmail.smtpd;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deadlines for blocking reads and writes that have no timeout of their own: writes to a
 * socket (qmail's {@code timeoutwrite}) and reads from a pipe (qmail's {@code timeoutread}
 * when qmail-smtpd runs on pipes, as in tests). One daemon thread per process looks at every
 * registered {@link Guard} a few times a second and runs its action once when a deadline has
 * passed; the action decides what the timeout does (answer {@code 451 timeout} and stop the
 * process, or close the socket so the session thread fails).
 */
final class Watchdog {
    private static final long TICK_MS = 200;
    private static final Watchdog INSTANCE = new Watchdog();

    private final Set<Guard> guards = ConcurrentHashMap.newKeySet();
    private volatile Thread thread;

    static Watchdog get() {
        return INSTANCE;
    }

    /** One session's deadlines; 0 means none pending. */
    static final class Guard {
        private volatile long readDeadline;
        private volatile long writeDeadline;
        private final Runnable onRead;
        private final Runnable onWrite;

        Guard(Runnable onRead, Runnable onWrite) {
            this.onRead = onRead;
            this.onWrite = onWrite;
        }

        void reading(long seconds) {
            readDeadline = deadline(seconds);
        }

        void writing(long seconds) {
            writeDeadline = deadline(seconds);
        }

        void readDone() {
            readDeadline = 0;
        }

        void writeDone() {
            writeDeadline = 0;
        }

        private static long deadline(long seconds) {
            long d = System.nanoTime() + seconds * 1_000_000_000L;
            return d == 0 ? 1 : d;
        }

        void check(long now) {
            long r = readDeadline;
            if (r != 0 && now - r > 0) {
                readDeadline = 0;
                onRead.run();
            }
            long w = writeDeadline;
            if (w != 0 && now - w > 0) {
                writeDeadline = 0;
                onWrite.run();
            }
        }
    }

    Guard register(Runnable onRead, Runnable onWrite) {
        Guard g = new Guard(onRead, onWrite);
        guards.add(g);
        start();
        return g;
    }

    void unregister(Guard g) {
        guards.remove(g);
    }

    private void start() {
        if (thread != null) {
            return;
        }
        synchronized (this) {
            if (thread == null) {
                Thread t = new Thread(this::loop, "smtpd-watchdog");
                t.setDaemon(true);
                t.start();
                thread = t;
            }
        }
    }

    private void loop() {
        for (;;) {
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Guard g : guards) {
                try {
                    g.check(now);
                } catch (RuntimeException e) {
                    // One session's failing action must not stop the others' deadlines.
                }
            }
        }
    }
}
