package org.jqmail.send;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Completing a message (doc/QUEUE.md §3, {@code messdone}): once neither channel file nor the todo
 * entry exists, inject the bounce if any, log {@code end msg N}, remove {@code info/S/N} and
 * have qmail-clean remove the message.
 */
final class MessDone {
    private final QueueFiles files;
    private final Log log;
    private final Schedule pq;
    private final Bounce bounce;
    private final Clean clean;
    private final SendState st;

    MessDone(QueueFiles files, Log log, Schedule pq, Bounce bounce, Clean clean, SendState st) {
        this.files = files;
        this.log = log;
        this.pq = pq;
        this.bounce = bounce;
        this.clean = clean;
        this.st = st;
    }

    void run(long id) {
        run(List.of(id));
    }

    /**
     * Completes several messages; their qmail-clean requests go out together at the end
     * ({@link Clean#requests}; their replies only matter for the warning), after each one's {@code info/S/N} is gone, as in qmail.
     */
    void run(List<Long> ids) {
        List<String> foops = new ArrayList<>();
        for (long id : ids) {
            if (done(id)) {
                foops.add(QueueFiles.foop(id));
            }
        }
        clean.requests(foops, null);
    }

    /** Steps 1-3 for one message; true if it is ready for qmail-clean. */
    private boolean done(long id) {
        String fn = null;
        try {
            boolean gone = pq.chansGone.remove(id);
            for (int c = 0; !gone && c < 2; c++) {
                fn = files.chan(id, c);
                if (files.stat(fn) != null) {
                    return false; // false alarm
                }
            }
            fn = QueueFiles.todo(id);
            if (files.stat(fn) != null) {
                return false;
            }
            fn = files.info(id);
            if (files.stat(fn) == null) {
                return false;
            }
        } catch (IOException e) {
            log.line("warning: unable to stat ", fn, "; will try again later");
            fail(id);
            return false;
        }
        if (!bounce.inject(id)) {
            fail(id);
            return false;
        }
        log.line("end msg ", id);
        fn = files.info(id);
        long size = files.infos().forgetInfo(id);
        try {
            files.spares().remove(fn, size);
        } catch (IOException e) {
            log.line("warning: unable to unlink ", fn, "; will try again later");
            fail(id);
            return false;
        }
        return true;
    }

    private void fail(long id) {
        pq.done.insert(id, st.now() + SendState.SLEEP_SYSFAIL);
    }
}
