package org.jqmail.send;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The command side of qmail-send's spawn pipes ({@code comm_*}, doc/PROTOCOLS.md §3). qmail writes
 * one command per channel at a time with non-blocking writes from its select loop; here one writer
 * thread per channel writes the commands, so a slow spawn never blocks the main thread.
 *
 * <p>Where it differs from qmail, for speed: qmail holds at most one unsent command per channel,
 * so it starts at most one delivery per channel per turn of its loop. Here commands queue up in
 * order (at most one per delivery slot, so the queue is bounded by the concurrency) and the
 * writer sends whatever is queued in one write; the bytes on the pipe are the same. A failed
 * write reports {@link Events.Kind#WRITE_DIED} (the spawn is gone).
 */
final class Comm {
    private final Writer[] w;

    Comm(OutputStream[] outs, Events ev) {
        w = new Writer[outs.length];
        for (int c = 0; c < outs.length; c++) {
            w[c] = new Writer(c, outs[c], ev);
        }
    }

    void start() {
        for (Writer x : w) {
            x.thread.start();
        }
    }

    /** {@code comm_canwrite}: the channel's spawn is still there. */
    boolean canWrite(int c) {
        return !w[c].dead;
    }

    /** {@code comm_write}: queues one command for the channel's writer. */
    void write(int c, byte[] cmd) {
        Writer x = w[c];
        if (!x.dead) {
            x.queue.add(cmd);
        }
    }

    private static final class Writer implements Runnable {
        final int c;
        final OutputStream out;
        final Events ev;
        final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        final Thread thread;
        volatile boolean dead;

        Writer(int c, OutputStream out, Events ev) {
            this.c = c;
            this.out = out;
            this.ev = ev;
            this.thread = new Thread(this, "spawn-writer-" + c);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            List<byte[]> more = new ArrayList<>();
            for (;;) {
                byte[] b;
                try {
                    b = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                queue.drainTo(more);
                if (!more.isEmpty()) {
                    int n = b.length;
                    for (byte[] m : more) {
                        n += m.length;
                    }
                    byte[] all = java.util.Arrays.copyOf(b, n);
                    int at = b.length;
                    for (byte[] m : more) {
                        System.arraycopy(m, 0, all, at, m.length);
                        at += m.length;
                    }
                    b = all;
                    more.clear();
                }
                try {
                    out.write(b);
                    out.flush();
                } catch (IOException e) {
                    dead = true;
                    ev.post(Events.Kind.WRITE_DIED, c);
                    return;
                }
            }
        }
    }
}
