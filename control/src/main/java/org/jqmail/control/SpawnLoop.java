package org.jqmail.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;

/**
 * The spawner skeleton shared by qmail-lspawn and qmail-rspawn, qmail's {@code spawn.c}
 * (doc/PROTOCOLS.md §3).
 *
 * <p>It announces the concurrency limit (one byte) on its output, then reads delivery commands
 * ({@link SpawnCommand}) from its input, validates each exactly as spawn.c does, and runs each
 * valid one on its own thread through {@link Spawner#deliver}. Reports ({@code SLOT LETTER TEXT
 * \0}) are written in completion order, one whole report per write; write failures are ignored,
 * as in qmail. At end of input it waits for every running delivery, reports it, and returns 0.
 *
 * <p>See also: {@code spawn.c}, {@code spawn.h}, {@code qmail-lspawn.8}, {@code qmail-rspawn.8}.
 */
public final class SpawnLoop {
    /** What one spawner (local or remote) does for a delivery. */
    public interface Spawner {
        /**
         * Runs one delivery to completion on the calling thread and returns its report: the
         * letter {@code K}, {@code Z} or {@code D} followed by the text (no NUL).
         *
         * @param message the validated message file (a regular file owned by qmailq)
         * @param at index of the last {@code @} in {@code recipient}
         */
        byte[] deliver(int slot, Path message, byte[] sender, byte[] recipient, int at);
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    private final InputStream in;
    private final OutputStream out;
    private final Path messDir;
    private final int limit;
    private final int ownerUid;
    private final Spawner spawner;
    private final boolean[] used;
    private final ExecutorService pool;
    private final AtomicInteger running = new AtomicInteger();

    /**
     * @param in the command stream (fd 0)
     * @param out the report stream (fd 1)
     * @param messDir {@code QMAILHOME/queue/mess}
     * @param limit the silent concurrency limit (conf-spawn), 1..255
     * @param ownerUid uid that must own message files (qmailq), or -1 to skip the check
     */
    public SpawnLoop(InputStream in, OutputStream out, Path messDir, int limit, int ownerUid,
                     Spawner spawner) {
        if (limit < 1 || limit > 255) {
            throw new IllegalArgumentException("spawn limit " + limit);
        }
        this.in = in;
        this.out = out;
        this.messDir = messDir;
        this.limit = limit;
        this.ownerUid = ownerUid;
        this.spawner = spawner;
        this.used = new boolean[limit];
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "delivery");
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newCachedThreadPool(tf);
    }

    /** Runs until the command stream ends and every delivery has reported. Returns 0. */
    public int run() throws IOException {
        write(new byte[] {(byte) limit});
        SubstdioIn ss = new SubstdioIn(in, 1024);
        for (;;) {
            SpawnCommand c;
            try {
                c = SpawnCommand.read(ss);
            } catch (SpawnCommand.TooLong e) {
                // spawn.c's flagabort: its buffers could not hold the command.
                err(e.slot(), "Zqmail-spawn out of memory. (#4.3.0)\n");
                continue;
            }
            if (c == null) {
                break;
            }
            docmd(c);
        }
        pool.shutdown();
        try {
            while (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                // Deliveries have their own timeouts; keep waiting for their reports.
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Deliveries currently running. */
    public int running() {
        return running.get();
    }

    private void docmd(SpawnCommand c) {
        int slot = c.slot();
        if (slot >= limit) {
            err(slot, "ZInternal error: delnum too big. (#4.3.5)\n");
            return;
        }
        synchronized (used) {
            if (used[slot]) {
                err(slot, "ZInternal error: delnum in use. (#4.3.5)\n");
                return;
            }
        }
        byte[] m = c.messfile();
        for (int i = 0; i < m.length; i++) {
            if ((i == 0 || m[i] != '/') && (m[i] < '0' || m[i] > '9')) {
                err(slot, "DInternal error: messid has nonnumerics. (#5.3.5)\n");
                return;
            }
        }
        if (m.length + 1 > 100) {
            err(slot, "DInternal error: messid too long. (#5.3.5)\n");
            return;
        }
        if (m.length == 0) {
            err(slot, "DInternal error: messid too short. (#5.3.5)\n");
            return;
        }
        byte[] recip = c.recipient();
        int at = Bytes.lastIndexOf(recip, '@');
        if (at < 0) {
            err(slot, "DSorry, address must include host name. (#5.1.3)\n");
            return;
        }
        Path p = messDir.resolve(Bytes.str(m));
        String problem = check(p);
        if (problem != null) {
            err(slot, problem);
            return;
        }
        synchronized (used) {
            used[slot] = true;
        }
        running.incrementAndGet();
        try {
            pool.execute(() -> finish(slot, p, c.sender(), recip, at));
        } catch (RuntimeException e) {
            synchronized (used) {
                used[slot] = false;
            }
            running.decrementAndGet();
            err(slot, "Zqmail-spawn unable to fork. (#4.3.0)\n");
        }
    }

    /** spawn.c's open/fstat/type/owner checks; null if the message may be delivered. */
    private String check(Path p) {
        if (!Files.isReadable(p)) {
            return "Zqmail-spawn unable to open message. (#4.3.0)\n";
        }
        try {
            // One lstat for the type and the owner.
            java.util.Map<String, Object> a;
            try {
                a = Files.readAttributes(p, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.NoSuchFileException e) {
                return "Zqmail-spawn unable to open message. (#4.3.0)\n";
            }
            if ((((Integer) a.get("mode")) & S_IFMT) != S_IFREG) {
                return "ZSorry, message has wrong type. (#4.3.5)\n";
            }
            if (ownerUid >= 0 && ((Integer) a.get("uid")) != ownerUid) {
                return "ZSorry, message has wrong owner. (#4.3.5)\n";
            }
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return "Zqmail-spawn unable to fstat message. (#4.3.0)\n";
        }
        return null;
    }

    private void finish(int slot, Path p, byte[] sender, byte[] recip, int at) {
        byte[] r;
        try {
            r = spawner.deliver(slot, p, sender, recip, at);
        } catch (RuntimeException | Error e) {
            // A bug in the spawner must defer the mail, never bounce it.
            r = Bytes.ascii("Zqmail-spawn internal error. (#4.3.0)\n");
        }
        synchronized (used) {
            used[slot] = false;
        }
        running.decrementAndGet();
        report(slot, r);
    }

    private void err(int slot, String text) {
        report(slot, Bytes.ascii(text));
    }

    private void report(int slot, byte[] r) {
        ByteBuf b = new ByteBuf(r.length + 2);
        b.append(slot);
        for (byte x : r) {
            if (x == 0) {
                break;
            }
            b.append(x);
        }
        b.append(0);
        write(b.toByteArray());
    }

    private void write(byte[] b) {
        synchronized (out) {
            try {
                out.write(b);
                out.flush();
            } catch (IOException e) {
                // spawn.c drops reports it cannot write.
            }
        }
    }
}
