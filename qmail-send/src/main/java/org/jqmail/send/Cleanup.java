package org.jqmail.send;

import java.io.IOException;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Stale-file cleanup (doc/QUEUE.md §3, {@code cleanup_*}): every 76431 s, one {@code mess/} entry
 * per main-loop turn; a message file not accessed for 36 hours with neither {@code info} nor
 * {@code todo} is the remains of a crashed qmail-queue, and qmail-clean removes it.
 */
final class Cleanup {
    private final QueueFiles files;
    private final Log log;
    private final Clean clean;
    private final SendState st;
    private ReadSubdir dir;
    private long cleanuptime;

    Cleanup(QueueFiles files, Log log, Clean clean, SendState st) {
        this.files = files;
        this.log = log;
        this.clean = clean;
        this.st = st;
        this.cleanuptime = st.now();
    }

    /** {@code cleanup_selprep}. */
    long selprep(long wakeup) {
        if (dir != null) {
            wakeup = 0;
        }
        return Math.min(wakeup, cleanuptime);
    }

    /** {@code cleanup_do}. */
    void run() {
        if (dir == null) {
            if (st.recent < cleanuptime) {
                return;
            }
            dir = new ReadSubdir(files, "mess", log, st.clock);
        }
        ReadSubdir.Next x = dir.next();
        if (x == ReadSubdir.Next.DONE) {
            dir = null;
            cleanuptime = st.recent + SendState.SLEEP_CLEANUP;
            return;
        }
        if (x != ReadSubdir.Next.ID) {
            return;
        }
        long id = dir.id();
        try {
            BasicFileAttributes a = files.stat(files.mess(id));
            if (a == null || st.recent <= QueueFiles.seconds(a.lastAccessTime()) + SendState.OSSIFIED) {
                return;
            }
            if (files.stat(files.info(id)) != null || files.stat(QueueFiles.todo(id)) != null) {
                return;
            }
        } catch (IOException e) {
            return;
        }
        clean.request(QueueFiles.foop(id), null);
    }
}
