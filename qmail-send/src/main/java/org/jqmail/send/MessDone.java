package org.jqmail.send;

import java.io.IOException;
import java.nio.file.Files;

/**
 * Completing a message (spec §3.9, {@code messdone}): once neither channel file nor the todo
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
        String fn = null;
        try {
            for (int c = 0; c < 2; c++) {
                fn = files.chan(id, c);
                if (files.stat(fn) != null) {
                    return; // false alarm
                }
            }
            fn = QueueFiles.todo(id);
            if (files.stat(fn) != null) {
                return;
            }
            fn = files.info(id);
            if (files.stat(fn) == null) {
                return;
            }
        } catch (IOException e) {
            log.line("warning: unable to stat ", fn, "; will try again later");
            fail(id);
            return;
        }
        if (!bounce.inject(id)) {
            fail(id);
            return;
        }
        log.line("end msg ", id);
        fn = files.info(id);
        try {
            Files.delete(files.path(fn));
        } catch (IOException e) {
            log.line("warning: unable to unlink ", fn, "; will try again later");
            fail(id);
            return;
        }
        clean.request(QueueFiles.foop(id));
    }

    private void fail(long id) {
        pq.done.insert(id, st.now() + SendState.SLEEP_SYSFAIL);
    }
}
