package org.jqmail.send;

import java.io.IOException;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * qmail-send's priority queues (qmail-send(8)): one per channel of channel files waiting for a
 * pass ({@code pqchan}), messages waiting for completion ({@code pqdone}), and messages whose
 * files could not be examined ({@code pqfail}). Rebuilds them from {@code info/} at start
 * ({@code pqstart}) and writes them back as file times at exit ({@code pqfinish}).
 */
final class Schedule {
    final PrioQueue[] chan = {new PrioQueue(), new PrioQueue()};
    final PrioQueue done = new PrioQueue();
    final PrioQueue fail = new PrioQueue();
    /**
     * Messages put in {@link #done} by the job that removed their last channel file, right
     * after it found the other one gone: their completion need not look for channel files
     * again (not in qmail, whose messdone stats both). qmail-send is the only creator of
     * channel files, and it creates them only for a todo entry, which such a message no
     * longer has; an entry is used once.
     */
    final java.util.Set<Long> chansGone = new java.util.HashSet<>();

    private final QueueFiles files;
    private final Log log;
    private final SendState st;

    Schedule(QueueFiles files, Log log, SendState st) {
        this.files = files;
        this.log = log;
        this.st = st;
    }

    /** {@code pqadd}: schedules a preprocessed message from the files it has. */
    void add(long id) {
        String fn = files.info(id);
        try {
            if (files.stat(fn) == null) {
                return;
            }
            fn = QueueFiles.todo(id);
            if (files.stat(fn) != null) {
                return; // todo processing will handle it
            }
            long[] dt = new long[2];
            boolean[] flag = new boolean[2];
            for (int c = 0; c < 2; c++) {
                fn = files.chan(id, c);
                BasicFileAttributes a = files.stat(fn);
                if (a != null) {
                    flag[c] = true;
                    dt[c] = QueueFiles.seconds(a.lastModifiedTime());
                }
            }
            for (int c = 0; c < 2; c++) {
                if (flag[c]) {
                    chan[c].insert(id, dt[c]);
                }
            }
            if (!flag[0] && !flag[1]) {
                done.insert(id, st.now());
            }
        } catch (IOException e) {
            log.line("warning: unable to stat ", fn, "; will try again later");
            fail.insert(id, st.now() + SendState.SLEEP_SYSFAIL);
        }
    }

    /** {@code pqstart}: every message in {@code info/}. */
    void start() {
        ReadSubdir rs = new ReadSubdir(files, "info", log, st.clock);
        for (;;) {
            ReadSubdir.Next x = rs.next();
            if (x == ReadSubdir.Next.DONE) {
                return;
            }
            if (x == ReadSubdir.Next.ID) {
                add(rs.id());
            }
        }
    }

    /** {@code pqfinish}: stores each pending retry time as the channel file's atime and mtime. */
    void finish() {
        for (int c = 0; c < 2; c++) {
            PrioQueue.Elt pe;
            while ((pe = chan[c].min()) != null) {
                chan[c].delmin();
                String fn = files.chan(pe.id(), c);
                try {
                    files.utime(fn, pe.dt());
                } catch (IOException e) {
                    log.line("warning: unable to utime ", fn, "; message will be retried too soon");
                }
            }
        }
    }

    /** {@code pqrun} (SIGALRM): every channel file is due now. */
    void run(long recent) {
        chan[0].setAll(recent);
        chan[1].setAll(recent);
    }
}
