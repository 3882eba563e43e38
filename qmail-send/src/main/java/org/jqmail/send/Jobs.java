package org.jqmail.send;

import java.io.IOException;

/**
 * qmail-send's job table (qmail-send(8)): a job is one pass of one message through one channel,
 * alive while its pass reads the channel file or any of its deliveries runs. There are
 * {@code concurrencylocal + concurrencyremote} job slots.
 */
final class Jobs {
    static final class Job {
        int refs;
        long id;
        int channel;
        long retry;
        byte[] sender;
        int numtodo;
        boolean hiteof;
        boolean dying;
        /**
         * The channel file, open for reading and writing while the job lives (not in qmail,
         * which opens it again for every {@code markdone}); closed with the job's last reference.
         */
        java.nio.channels.FileChannel chan;
        /** The channel file's length once its pass read it to the end, else -1. */
        long size;
    }

    final Job[] jo;
    private final QueueFiles files;
    private final Log log;
    private final Schedule pq;
    private final SendState st;

    Jobs(int numjobs, QueueFiles files, Log log, Schedule pq, SendState st) {
        jo = new Job[numjobs];
        for (int j = 0; j < numjobs; j++) {
            jo[j] = new Job();
        }
        this.files = files;
        this.log = log;
        this.pq = pq;
        this.st = st;
    }

    boolean avail() {
        for (Job j : jo) {
            if (j.refs == 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code job_open}: the job number, or -1 if none is free. */
    int open(long id, int channel) {
        for (int j = 0; j < jo.length; j++) {
            if (jo[j].refs == 0) {
                Job x = jo[j];
                x.refs = 1;
                x.id = id;
                x.channel = channel;
                x.numtodo = 0;
                x.hiteof = false;
                x.chan = null;
                x.size = -1;
                return j;
            }
        }
        return -1;
    }

    /**
     * {@code job_close}: drops one reference; the last one either removes a fully delivered
     * channel file (and schedules completion when the other channel is gone too) or puts the
     * channel file back in its queue at the job's retry time.
     */
    void close(int j) {
        Job x = jo[j];
        if (0 < --x.refs) {
            return;
        }
        if (x.chan != null) {
            try {
                x.chan.close();
            } catch (IOException e) {
                // Every write to it (markdone's D) was checked when made.
            }
            x.chan = null;
        }
        long dt = x.retry;
        if (x.hiteof && x.numtodo == 0) {
            String fn = files.chan(x.id, x.channel);
            try {
                files.spares().remove(fn, x.size);
                boolean seen = true;
                for (int c = 0; c < 2; c++) {
                    if (c != x.channel) {
                        String other = files.chan(x.id, c);
                        try {
                            if (files.stat(other) != null) {
                                return; // more channels going
                            }
                        } catch (IOException e) {
                            log.line("warning: unable to stat ", other);
                            seen = false;
                            break;
                        }
                    }
                }
                pq.done.insert(x.id, st.now());
                if (seen) {
                    pq.chansGone.add(x.id); // messdone need not stat them again
                }
                return;
            } catch (IOException e) {
                log.line("warning: unable to unlink ", fn, "; will try again later");
                dt = st.now() + SendState.SLEEP_SYSFAIL;
            }
        }
        pq.chan[x.channel].insert(x.id, dt);
    }
}
