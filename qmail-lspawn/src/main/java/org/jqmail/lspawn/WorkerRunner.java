package org.jqmail.lspawn;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jqmail.control.LocalWorkerProtocol;
import org.jqmail.control.Report;
import org.jqmail.io.ByteBuf;

/**
 * Runs qmail-local in warm workers (doc/ARCHITECTURE.md §7): per (uid, gid) a pool of
 * {@code bin/qmail-local-worker} processes, each started already running as that uid and gid
 * (the same {@code setpriv} drop as {@link ExecRunner}) and serving only that uid for its whole
 * life. A delivery takes an idle worker (or starts one), sends qmail-local's argv and the
 * message over {@link LocalWorkerProtocol}, and reads back the exit code and output, which make
 * the same report as a fresh qmail-local would. A worker that dies mid-delivery is reported as
 * {@code Zqmail-local crashed.}; workers idle for longer than the idle limit are closed. At
 * most a few workers run per (uid, gid); further deliveries to it wait for one to be free.
 */
final class WorkerRunner implements LocalRunner {
    private static final int COPY_BUF = 64 * 1024;
    private final Path home;
    private final boolean dropPrivileges;
    private final long idleMillis;
    private final int perUid;
    private final Map<Long, Pool> pools = new HashMap<>();
    private final ScheduledExecutorService reaper;

    /** The workers of one (uid, gid): the idle ones, and how many are alive in all. */
    private static final class Pool {
        final Deque<Worker> idle = new ArrayDeque<>();
        int live;
    }

    /**
     * @param perUid the most workers kept for one (uid, gid); a delivery that finds all of them
     *     busy waits for one, which bounds the JVMs (memory, JIT warm-up) a busy mailbox costs
     */
    WorkerRunner(Path home, boolean dropPrivileges, long idleMillis, int perUid) {
        this.home = home;
        this.dropPrivileges = dropPrivileges;
        this.idleMillis = idleMillis;
        this.perUid = perUid;
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-reaper");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, idleMillis / 2);
        reaper.scheduleWithFixedDelay(this::reap, period, period, TimeUnit.MILLISECONDS);
    }

    private static final class Worker {
        final Process p;
        final OutputStream in;
        final InputStream out;
        long lastUsed;

        Worker(Process p) {
            this.p = p;
            this.in = new BufferedOutputStream(p.getOutputStream(), 64 * 1024);
            this.out = p.getInputStream();
        }

        void kill() {
            try {
                in.close();
            } catch (IOException e) {
                // It is being discarded anyway.
            }
            p.destroy();
        }
    }

    private static long key(int uid, int gid) {
        return ((long) uid << 32) | (gid & 0xffffffffL);
    }

    @Override
    public Outcome run(int uid, int gid, List<byte[]> args, Path message) {
        Worker w = take(uid, gid);
        if (w == null) {
            // Checked when a worker is to start (a warm one needs no program file).
            Path prog = home.resolve("bin").resolve("qmail-local-worker");
            if (!Files.isExecutable(prog)) {
                retire(uid, gid, null);
                return new Outcome(false, Report.QLX_EXECHARD, new byte[0]);
            }
            try {
                w = start(uid, gid, prog);
            } catch (IOException e) {
                retire(uid, gid, null);
                return new Outcome(false, Report.QLX_EXECSOFT, new byte[0]);
            }
        }
        LocalWorkerProtocol.Response r;
        try (FileChannel m = FileChannel.open(message)) {
            long size = m.size();
            LocalWorkerProtocol.writeRequest(w.in, args, size);
            copy(m, size, w.in);
            w.in.flush();
        } catch (IOException e) {
            // The worker died, or the message could not be read and the stream is out of step.
            retire(uid, gid, w);
            return new Outcome(true, 0, new byte[0]);
        }
        try {
            r = LocalWorkerProtocol.readResponse(w.out);
        } catch (IOException e) {
            retire(uid, gid, w);
            return new Outcome(true, 0, new byte[0]);
        }
        w.lastUsed = System.nanoTime();
        give(uid, gid, w);
        ByteBuf out = new ByteBuf(Report.LSPAWN_TRUNC + LocalWorkerProtocol.OUTPUT_MAX);
        out.append(r.output());
        Report.truncate(out, Report.LSPAWN_TRUNC);
        return new Outcome(r.crashed(), r.code(), out.toByteArray());
    }

    /**
     * Copies exactly the {@code size} bytes the request announced, in blocks as large as a
     * pipe holds; a message that got shorter meanwhile puts the stream out of step (thrown).
     */
    private static void copy(FileChannel m, long size, OutputStream out) throws IOException {
        // No larger than the message: a 64 KiB array per delivery cost more to zero than the copy.
        byte[] b = new byte[(int) Math.max(1, Math.min(COPY_BUF, size))];
        ByteBuffer bb = ByteBuffer.wrap(b);
        for (long left = size; left > 0;) {
            bb.clear().limit((int) Math.min(b.length, left));
            int n = m.read(bb);
            if (n < 0) {
                throw new EOFException("message shorter than announced");
            }
            out.write(b, 0, n);
            left -= n;
        }
    }

    private Worker start(int uid, int gid, Path prog) throws IOException {
        List<String> cmd = new ArrayList<>(ExecRunner.command(dropPrivileges, uid, gid, prog.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        return new Worker(pb.start());
    }

    /**
     * An idle worker of (uid, gid); null when the caller is to start one (already counted as
     * alive). Waits while the pool is full and every worker busy.
     */
    private synchronized Worker take(int uid, int gid) {
        Pool pool = pools.computeIfAbsent(key(uid, gid), k -> new Pool());
        boolean interrupted = false;
        try {
            for (;;) {
                while (!pool.idle.isEmpty()) {
                    Worker w = pool.idle.pollLast();
                    if (w.p.isAlive()) {
                        return w;
                    }
                    pool.live--;
                    w.kill();
                }
                if (pool.live < perUid) {
                    pool.live++;
                    return null;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    // Deliveries are never abandoned: keep waiting for a worker.
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized void give(int uid, int gid, Worker w) {
        pools.get(key(uid, gid)).idle.addLast(w);
        notifyAll();
    }

    /** A worker that is gone (or never started, {@code w} null) leaves room for another. */
    private synchronized void retire(int uid, int gid, Worker w) {
        if (w != null) {
            w.kill();
        }
        pools.get(key(uid, gid)).live--;
        notifyAll();
    }

    private synchronized void reap() {
        long now = System.nanoTime();
        for (Pool pool : pools.values()) {
            pool.idle.removeIf(w -> {
                if (!w.p.isAlive() || now - w.lastUsed > idleMillis * 1_000_000L) {
                    w.kill();
                    pool.live--;
                    return true;
                }
                return false;
            });
        }
        pools.values().removeIf(pool -> pool.live == 0);
        notifyAll();
    }

    @Override
    public synchronized void close() {
        reaper.shutdownNow();
        for (Pool pool : pools.values()) {
            pool.idle.forEach(Worker::kill);
        }
        pools.clear();
    }
}
