package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.SubstdioIn;

/**
 * Passes through channel files (qmail-send(8), {@code pass_*}): at most one per channel at a time,
 * reading one {@code T}/{@code D} record per main-loop turn and starting a delivery for each
 * {@code T} when a delivery slot is free; also the retry-time arithmetic and the due
 * {@code pqfail}/{@code pqdone} entries.
 */
final class Passes {
    private static final int[] CHANSKIP = {10, 20};
    /** Most pass steps per channel in one main-loop turn. */
    static final int STEPS = 100;

    private static final class Pass {
        boolean active;
        long id;
        int j;
        InputStream in;
        SubstdioIn ss;
        long mpos;
    }

    private final Pass[] pass = {new Pass(), new Pass()};
    private final QueueFiles files;
    private final Log log;
    private final Schedule pq;
    private final Jobs jobs;
    private final Deliveries del;
    private final MessDone messdone;
    private final Controls ctl;
    private final SendState st;
    private final ByteBuf line = new ByteBuf(QueueFiles.RECORD_MAX);

    Passes(QueueFiles files, Log log, Schedule pq, Jobs jobs, Deliveries del, MessDone messdone,
           Controls ctl, SendState st) {
        this.files = files;
        this.log = log;
        this.pq = pq;
        this.jobs = jobs;
        this.del = del;
        this.messdone = messdone;
        this.ctl = ctl;
        this.st = st;
    }

    /** {@code pass_selprep}: lowers {@code wakeup} to the next time a pass has work. */
    long selprep(long wakeup) {
        if (st.exitasap) {
            return wakeup;
        }
        for (int c = 0; c < 2; c++) {
            if (pass[c].active && del.avail(c)) {
                return 0;
            }
        }
        if (jobs.avail()) {
            for (int c = 0; c < 2; c++) {
                PrioQueue.Elt pe = pq.chan[c].min();
                if (!pass[c].active && pe != null && wakeup > pe.dt()) {
                    wakeup = pe.dt();
                }
            }
        }
        PrioQueue.Elt pe = pq.fail.min();
        if (pe != null && wakeup > pe.dt()) {
            wakeup = pe.dt();
        }
        pe = pq.done.min();
        if (pe != null && wakeup > pe.dt()) {
            wakeup = pe.dt();
        }
        return wakeup;
    }

    /** {@code squareroot}: the largest y below 2^16 with y*y <= x. */
    static long squareroot(long x) {
        long y = 0;
        long yy = 0;
        for (int j = 15; j >= 0; j--) {
            long y21 = (y << (j + 1)) + (1L << (j + j));
            if (y21 <= x - yy) {
                y += 1L << j;
                yy += y21;
            }
        }
        return y;
    }

    /** {@code nextretry}: birth + (floor(sqrt(age)) + chanskip)^2, in C int arithmetic. */
    static long nextretry(long birth, int c, long recent) {
        int n = birth > recent ? 0 : (int) squareroot(recent - birth);
        n += CHANSKIP[c];
        return birth + n * n;
    }

    /** {@code pass_do}. */
    void run() {
        // qmail takes one step per channel per turn; a turn that also preprocesses a batch of
        // todo entries would then start one delivery per batch. Here each channel goes on
        // while it can: until its pass cannot start another delivery or no message is due.
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < STEPS && dochan(c); i++) {
                // next record, or the next due message
            }
        }
        PrioQueue.Elt pe = pq.fail.min();
        if (pe != null && pe.dt() <= st.recent) {
            pq.fail.delmin();
            pq.add(pe.id());
        }
        // qmail completes one message per turn; the due ones of a turn are done together so
        // that their qmail-clean requests share one round trip.
        List<Long> due = new ArrayList<>();
        for (pe = pq.done.min(); pe != null && pe.dt() <= st.recent; pe = pq.done.min()) {
            pq.done.delmin();
            due.add(pe.id());
            if (due.size() == Todo.BATCH) {
                break;
            }
        }
        if (!due.isEmpty()) {
            messdone.run(due);
        }
    }

    /** One step of channel {@code c}'s pass; false if it could do nothing now. */
    private boolean dochan(int c) {
        if (st.exitasap) {
            return false;
        }
        Pass p = pass[c];
        if (!p.active && !open(c)) {
            return false;
        }
        if (!del.avail(c)) {
            return false;
        }
        SubstdioIn.Line r;
        try {
            line.clear();
            r = p.ss.getline(line, (byte) 0, QueueFiles.RECORD_MAX);
        } catch (IOException e) {
            r = SubstdioIn.Line.TOO_LONG;
        }
        if (r == SubstdioIn.Line.TOO_LONG) {
            log.line("warning: trouble reading ", files.chan(p.id, c), "; will try again later");
            end(c, false);
            return true;
        }
        if (r != SubstdioIn.Line.LINE) {
            if (r == SubstdioIn.Line.EOF) {
                jobs.jo[p.j].size = p.mpos; // every byte of the file was a whole record
            }
            end(c, true);
            return true;
        }
        byte t = line.length() == 0 ? 0 : line.byteAt(0);
        if (t == 'T') {
            jobs.jo[p.j].numtodo++;
            byte[] rec = line.toByteArray();
            del.start(p.j, p.mpos, java.util.Arrays.copyOfRange(rec, 1, rec.length));
        } else if (t != 'D') {
            log.line("warning: unknown record type in ", files.chan(p.id, c), "!");
            end(c, false);
            return true;
        }
        p.mpos += line.length() + 1;
        return true;
    }

    /** Starts a pass on the earliest due channel file; false if none can start now. */
    private boolean open(int c) {
        if (!jobs.avail()) {
            return false;
        }
        PrioQueue.Elt pe = pq.chan[c].min();
        if (pe == null || pe.dt() > st.recent) {
            return false;
        }
        String fn = files.chan(pe.id(), c);
        pq.chan[c].delmin();
        Pass p = pass[c];
        p.mpos = 0;
        InfoCache.Info info = null;
        java.nio.channels.FileChannel ch = null;
        try {
            ch = files.openReadWrite(fn);
            info = files.infos().getinfo(pe.id());
        } catch (IOException e) {
            info = null;
        }
        if (info == null && ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // Nothing was written.
            }
        }
        if (info == null) {
            log.line("warning: trouble opening ", fn, "; will try again later");
            pq.chan[c].insert(pe.id(), st.recent + SendState.SLEEP_SYSFAIL);
            return false;
        }
        p.active = true;
        p.id = pe.id();
        p.in = java.nio.channels.Channels.newInputStream(ch);
        p.ss = new SubstdioIn(p.in, 128);
        p.j = jobs.open(pe.id(), c);
        Jobs.Job job = jobs.jo[p.j];
        job.chan = ch; // the job closes it; markdone writes through it
        job.retry = nextretry(info.birth(), c, st.recent);
        job.dying = st.recent > info.birth() + ctl.lifetime;
        job.sender = info.sender();
        return true;
    }

    private void end(int c, boolean hiteof) {
        Pass p = pass[c];
        // p.in reads the job's channel file, which the job closes with its last reference.
        if (hiteof) {
            jobs.jo[p.j].hiteof = true;
        }
        jobs.close(p.j);
        p.active = false;
        p.in = null;
        p.ss = null;
    }
}
