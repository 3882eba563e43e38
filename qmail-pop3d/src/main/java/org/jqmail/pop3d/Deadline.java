package org.jqmail.pop3d;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * qmail's {@code timeoutread} and {@code timeoutwrite} for a program whose timeout ends it:
 * each read from the client and each write to it must finish within the timeout (1200 seconds
 * in qmail-popup and qmail-pop3d), or {@code expire} runs, which ends the process with the
 * program's {@code die()} status. One daemon thread watches the armed deadlines (a read's and a
 * write's apart, for qmail-popup's TLS relay, where one thread reads while another writes); it
 * wakes once a second at most, so a deadline fires within a second of its time.
 *
 * <p>The JDK reads and writes a descriptor of any kind (socket under tcpserver, pipe in
 * tests) with a plain blocking call that no socket timeout could bound; the watchdog bounds
 * both, which is what the {@code select} in qmail's functions does.
 *
 * <p>See also: timeoutread.c, timeoutwrite.c, qmail-popup(8), qmail-pop3d(8).
 */
final class Deadline {
    /** qmail-popup's and qmail-pop3d's idle timeout: 20 minutes. */
    static final int POP3_SECONDS = 1200;
    private static final long TICK_MS = 1000;

    private final long nanos;
    private final Runnable expire;
    private volatile long due;
    private volatile long writeDue;
    private Thread watcher;

    /** A deadline of {@code seconds} per read or write; {@code expire} runs at most once. */
    Deadline(long seconds, Runnable expire) {
        this.nanos = seconds * 1_000_000_000L;
        this.expire = expire;
    }

    /** Starts a read's deadline. */
    void arm() {
        due = deadline();
        watch();
    }

    private long deadline() {
        long d = System.nanoTime() + nanos;
        return d == 0 ? 1 : d;
    }

    private synchronized void watch() {
        if (watcher == null) {
            Thread t = new Thread(new Watch(), "pop3-deadline");
            t.setDaemon(true);
            watcher = t;
            t.start();
        }
    }

    /** The read finished in time. */
    void disarm() {
        due = 0;
    }

    /** Named class rather than a lambda: each lambda costs a short-lived JVM its linkage. */
    private final class Watch implements Runnable {
        @Override
        public void run() {
            for (;;) {
                long r = due;
                long w = writeDue;
                long d = r == 0 ? w : w == 0 ? r : (r - w < 0 ? r : w);
                long sleep = TICK_MS;
                if (d != 0) {
                    long left = d - System.nanoTime();
                    if (left <= 0) {
                        expire.run();
                        return;
                    }
                    sleep = Math.min(TICK_MS, left / 1_000_000 + 1);
                }
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** {@code in} with every read under this deadline. */
    InputStream in(InputStream in) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) <= 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                arm();
                try {
                    return in.read(b, off, len);
                } finally {
                    disarm();
                }
            }
        };
    }

    /** {@code out} with every write under this deadline. */
    OutputStream out(OutputStream out) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writeDue = deadline();
                watch();
                try {
                    out.write(b, off, len);
                } finally {
                    writeDue = 0;
                }
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        };
    }
}
