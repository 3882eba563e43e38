package org.jqmail.send;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.SynchronousQueue;

/**
 * The command side of qmail-send's spawn pipes ({@code comm_*}, spec §4.2): at most one
 * unsent command per channel. qmail writes it with non-blocking writes from its select loop;
 * here one writer thread per channel writes it, so a slow spawn never blocks the main thread,
 * and reports {@link Events.Kind#WRITTEN} (the buffer is free again) or
 * {@link Events.Kind#WRITE_DIED} (the spawn is gone).
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

    /** {@code comm_canwrite}. */
    boolean canWrite(int c) {
        return !w[c].busy;
    }

    /** {@code comm_write}: hands one command to the channel's writer. */
    void write(int c, byte[] cmd) {
        Writer x = w[c];
        if (x.busy) {
            return;
        }
        x.busy = true;
        try {
            x.slot.put(cmd);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Writer implements Runnable {
        final int c;
        final OutputStream out;
        final Events ev;
        final SynchronousQueue<byte[]> slot = new SynchronousQueue<>();
        final Thread thread;
        volatile boolean busy;

        Writer(int c, OutputStream out, Events ev) {
            this.c = c;
            this.out = out;
            this.ev = ev;
            this.thread = new Thread(this, "spawn-writer-" + c);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            for (;;) {
                byte[] b;
                try {
                    b = slot.take();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    out.write(b);
                    out.flush();
                } catch (IOException e) {
                    ev.post(Events.Kind.WRITE_DIED, c);
                    return;
                }
                busy = false;
                ev.post(Events.Kind.WRITTEN, c);
            }
        }
    }
}
