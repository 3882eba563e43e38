package org.jqmail.rspawn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jqmail.control.Report;
import org.jqmail.control.SpawnLoop;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.remote.Ipme;
import org.jqmail.remote.NativeFlock;
import org.jqmail.remote.Remote;
import org.jqmail.remote.RemoteSetup;
import org.jqmail.remote.Resolver;

/**
 * Remote deliveries on qmail-rspawn's own threads (doc/ARCHITECTURE.md §7): each delivery runs the
 * qmail-remote library exactly as {@code qmail-remote DOMAIN SENDER RECIPIENT} would, with the
 * message file as its input and a buffer as its output, and the buffer is folded into one
 * report with qmail-rspawn's rules ({@link Report#rspawn}). No process, no JVM start.
 *
 * <p>The timeout table is locked with qmail's {@code flock} as well as our record lock
 * ({@link NativeFlock}), so these deliveries exclude C qmail-tcpok and friends too.
 *
 * <p>Shared between deliveries: the resolver (dnsjava is thread-safe) and the list of local
 * addresses, re-read every {@value #IPME_TTL_MS} ms. Each delivery gets its own "pid" (the real
 * one plus a sequence number), so the timeout-table windows and MX tie-breaks vary between
 * deliveries as they do between qmail-remote processes.
 */
final class InProcessSpawner implements SpawnLoop.Spawner {
    /** Bound on one delivery's output; qmail-remote writes at most a few kilobytes here. */
    static final int OUTPUT_MAX = 1 << 20;
    static final long IPME_TTL_MS = 10_000;

    /** The environment of the n-th delivery. */
    interface Envs {
        Remote.Env env(long n);
    }

    private final Envs envs;
    private final AtomicLong seq = new AtomicLong();

    InProcessSpawner(Envs envs) {
        this.envs = envs;
    }

    /** Deliveries for the installation at {@code home}, as qmail-remote would make them. */
    static InProcessSpawner forHome(Path home, Map<String, String> environ, Resolver resolver, long pid) {
        IpmeCache ipme = new IpmeCache();
        NativeFlock flock = new NativeFlock();
        return new InProcessSpawner(n -> RemoteSetup.env(home, environ, resolver, ipme.get(), pid + n, flock));
    }

    @Override
    public byte[] deliver(int slot, Path message, byte[] sender, byte[] recipient, int at) {
        ByteBuf out = new ByteBuf(4096, OUTPUT_MAX);
        try (InputStream in = Files.newInputStream(message)) {
            Remote.Env env = envs.env(seq.incrementAndGet());
            new Remote(env).run(Bytes.sub(recipient, at + 1), sender, List.of(recipient), in, () -> size(message),
                    sink(out));
        } catch (IOException e) {
            return Bytes.ascii("Zqmail-spawn unable to open message. (#4.3.0)\n");
        }
        return Report.rspawn(false, 0, out.array(), out.length());
    }

    /** The message file's length, for QMTP; -1 (spool it) if it cannot be read. */
    private static long size(Path message) {
        try {
            return Files.size(message);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The local addresses, re-read when older than {@link #IPME_TTL_MS}. */
    static final class IpmeCache {
        private volatile Ipme ipme;
        private volatile long at;

        /** The addresses, or null (each run then reads them and reports failure itself). */
        Ipme get() {
            long t = System.currentTimeMillis();
            Ipme m = ipme;
            if (m == null || t - at > IPME_TTL_MS) {
                try {
                    m = Ipme.local();
                    ipme = m;
                    at = t;
                } catch (IOException e) {
                    return null;
                }
            }
            return m;
        }
    }

    /** Collects output up to {@link #OUTPUT_MAX} bytes and drops the rest. */
    static OutputStream sink(ByteBuf out) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                if (out.fits(1)) {
                    out.append(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                int n = Math.min(len, out.max() - out.length());
                if (n > 0) {
                    out.append(b, off, n);
                }
            }
        };
    }
}
