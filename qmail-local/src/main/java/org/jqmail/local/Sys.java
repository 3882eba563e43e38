package org.jqmail.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import org.jqmail.io.Scan;

/**
 * The few facts about the running system a delivery needs: the time, sleeping, the host name
 * and pid for Maildir names, and whether the process umask is qmail-local's 077. Tests pass a
 * fake; {@link #REAL} asks Linux.
 */
interface Sys {
    Sys REAL = new Real();

    /** Unix time in seconds ({@code now()}). */
    long now();

    /** A monotonic clock in milliseconds, for the lock timeout. */
    long millis();

    void sleep(long millis) throws InterruptedException;

    /** {@code gethostname()}, at most 64 bytes, not sanitised. */
    byte[] hostname();

    long pid();

    /** True if this process's umask is 077, as qmail-local sets it. */
    boolean umask077();

    /** The real system. */
    final class Real implements Sys {
        private static final int HOST_MAX = 64;
        private byte[] hostname;
        private Boolean umask077;

        @Override
        public long now() {
            return System.currentTimeMillis() / 1000;
        }

        @Override
        public long millis() {
            return System.nanoTime() / 1_000_000;
        }

        @Override
        public void sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
        }

        @Override
        public synchronized byte[] hostname() {
            if (hostname == null) {
                byte[] h = readSmall(Paths.get("/proc/sys/kernel/hostname"));
                int n = h.length;
                while (n > 0 && h[n - 1] == '\n') {
                    n--;
                }
                hostname = Arrays.copyOf(h, Math.min(n, HOST_MAX));
            }
            return hostname.clone();
        }

        @Override
        public long pid() {
            // /proc/self names our pid; ProcessHandle would start the JDK's process-reaper
            // machinery, a measurable part of a lean program's start.
            try {
                long pid = Scan.strict(Files.readSymbolicLink(Paths.get("/proc/self")).toString());
                if (pid > 0) {
                    return pid;
                }
            } catch (IOException | UnsupportedOperationException e) {
                // Not Linux: ask the JDK.
            }
            return ProcessHandle.current().pid();
        }

        @Override
        public synchronized boolean umask077() {
            if (umask077 == null) {
                // Linux ≥ 4.7 reports the umask here; when it cannot be read, assume the worst.
                String status = org.jqmail.io.Bytes.str(readSmall(Paths.get("/proc/self/status")));
                umask077 = status.contains("\nUmask:\t0077\n");
            }
            return umask077;
        }

        private static byte[] readSmall(Path p) {
            try (InputStream in = Files.newInputStream(p)) {
                return in.readNBytes(8192);
            } catch (IOException e) {
                return new byte[0];
            }
        }
    }
}
