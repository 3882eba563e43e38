package org.jqmail.qmtpd;

import java.util.function.LongSupplier;
import org.jqmail.control.Auto;
import org.jqmail.control.Qmail;
import org.jqmail.control.QueueClient;
import org.jqmail.io.Main;

/**
 * What qmail-qmtpd and qmail-qmqpd share around their sessions: qmail's one-hour
 * {@code alarm(3600)} that ends the process with 111, the clock, and the installation's queue.
 * Named classes rather than lambdas: each lambda costs a short-lived process its linkage.
 */
final class Daemon {
    /** qmail-qmtpd's and qmail-qmqpd's whole-session deadline, in seconds. */
    static final long ALARM = 3600;

    private Daemon() {
    }

    /** Starts the session deadline. */
    static void alarm() {
        Thread t = new Thread(new Alarm(), "alarm");
        t.setDaemon(true);
        t.start();
    }

    static Qmail.Opener queue(Auto auto) {
        return QueueClient.opener(auto);
    }

    private static final class Alarm implements Runnable {
        @Override
        public void run() {
            long end = System.nanoTime() + ALARM * 1_000_000_000L;
            for (long left; (left = end - System.nanoTime()) > 0;) {
                try {
                    Thread.sleep(left / 1_000_000 + 1);
                } catch (InterruptedException e) {
                    // Keep waiting: only the deadline ends this thread.
                }
            }
            Main.end(Quit.RESOURCES);
        }
    }

    /** Seconds since the epoch. */
    static final class Clock implements LongSupplier {
        @Override
        public long getAsLong() {
            return System.currentTimeMillis() / 1000;
        }
    }
}
