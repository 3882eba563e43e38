package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jqmail.io.Fsync;

/**
 * Preprocessing of {@code todo/} (doc/QUEUE.md §3, {@code todo_*}): a scan starts when the trigger
 * was pulled or every 1500 s, and each main-loop turn handles the next entries of the scan: for
 * each it writes {@code info/S/N} and the {@code local}/{@code remote} recipient files
 * (rewritten by {@link TodoRecords}) and logs {@code new msg} and {@code info msg}; then
 * it fsyncs them, has qmail-clean remove {@code todo/N} and {@code intd/N}, and schedules the
 * message.
 *
 * <p>Where it differs from qmail, for speed: qmail handles one entry per turn; here a turn takes
 * up to {@link #BATCH} of them, fsyncs all their files at once and sends their qmail-clean
 * requests together, and schedules each message when its reply arrives ({@link Clean}) instead
 * of waiting for it; an entry whose reply is still due is skipped by a new scan. The order per message (files fsynced before {@code todo/N} goes, which is
 * before the message is scheduled) and every log line stay qmail's; only the lines of several
 * messages can come one block after the other.
 */
final class Todo {
    private final QueueFiles files;
    private final Controls ctl;
    private final Log log;
    private final Clean clean;
    private final Schedule pq;
    private final SendState st;
    private final Trigger trigger;
    /** Most todo entries preprocessed in one main-loop turn. */
    static final int BATCH = 16;

    private long nexttodorun;
    private DirectoryStream<Path> dir;
    private Iterator<Path> it;
    private final TodoRecords records;
    /**
     * Entries preprocessed and fsynced whose qmail-clean reply has not come yet: their
     * {@code todo/N} may still be listed, and must not be preprocessed a second time.
     */
    private final java.util.Set<Long> cleaning = new java.util.HashSet<>();
    private final Events ev;
    private final java.util.concurrent.ExecutorService syncer;
    /** A batch's fsyncs are running on {@link #syncer}. */
    private boolean syncing;

    Todo(QueueFiles files, Controls ctl, Log log, Clean clean, Schedule pq, SendState st,
         Trigger trigger) {
        this(files, ctl, log, clean, pq, st, trigger, null);
    }

    /**
     * With {@code ev}, a batch's fsyncs run on a helper thread and the main loop goes on
     * meanwhile; the rest of the batch runs on the main thread when they are done. Without,
     * everything happens within {@link #run}.
     */
    Todo(QueueFiles files, Controls ctl, Log log, Clean clean, Schedule pq, SendState st,
         Trigger trigger, Events ev) {
        this.ev = ev;
        this.syncer = ev == null ? null : java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "todo-fsync");
            t.setDaemon(true);
            return t;
        });
        this.files = files;
        this.ctl = ctl;
        this.log = log;
        this.clean = clean;
        this.pq = pq;
        this.st = st;
        this.trigger = trigger;
        this.records = new TodoRecords(files, ctl, log);
        this.nexttodorun = st.now();
        trigger.set();
    }

    /** {@code todo_selprep}. */
    long selprep(long wakeup) {
        if (st.exitasap || syncing) {
            return wakeup; // the end of the fsyncs wakes the loop
        }
        if (dir != null) {
            return 0;
        }
        return Math.min(wakeup, nexttodorun);
    }

    /**
     * {@code todo_do}: starts a scan if due, then handles the next directory entries, up to
     * {@link #BATCH} of them (qmail handles one per turn and fsyncs each on its own; a batch
     * shares one disk wait).
     */
    void run() {
        if (st.exitasap || syncing) {
            return;
        }
        if (dir == null) {
            if (!trigger.pulled() && st.recent < nexttodorun) {
                return;
            }
            trigger.set();
            try {
                dir = Files.newDirectoryStream(files.path("todo"));
                it = dir.iterator();
            } catch (IOException e) {
                ReadSubdir.pausedir(log, st.clock, "todo");
                return;
            }
            nexttodorun = st.recent + SendState.SLEEP_TODO;
        }
        if (!it.hasNext()) {
            try {
                dir.close();
            } catch (IOException e) {
                // closedir errors are of no interest.
            }
            dir = null;
            it = null;
            return;
        }
        List<Prepared> batch = new ArrayList<>();
        while (batch.size() < BATCH && it.hasNext()) {
            long id = ReadSubdir.scanId(it.next().getFileName().toString());
            if (id >= 0 && !cleaning.contains(id)) {
                Prepared p = prepare(id);
                if (p != null) {
                    batch.add(p);
                }
            }
        }
        commit(batch);
    }

    /** Preprocesses {@code todo/id}; on any trouble logs and leaves it for the next scan. */
    void preprocess(long id) {
        if (cleaning.contains(id)) {
            return;
        }
        Prepared p = prepare(id);
        if (p != null) {
            commit(List.of(p));
        }
    }

    /** A preprocessed entry whose info and channel files are written but not yet fsynced. */
    private record Prepared(long id, Spares.Out info, Spares.Out[] chan, byte[] sender) {
    }

    /**
     * Writes {@code info/S/N} and the channel files of {@code todo/id}, logging {@code new msg}
     * and {@code info msg}; null (files closed, trouble logged) if that fails.
     */
    private Prepared prepare(long id) {
        String todo = QueueFiles.todo(id);
        files.infos().forgetInfo(id);
        InputStream in;
        try {
            in = files.openRead(todo);
        } catch (IOException e) {
            log.line("warning: unable to open ", todo);
            return null;
        }
        Spares.Out[] chan = new Spares.Out[2];
        Spares.Out info = null;
        boolean ok = false;
        try (InputStream closeIn = in) {
            String fn = files.mess(id);
            BasicFileAttributes mess;
            try {
                mess = Files.readAttributes(files.path(fn), BasicFileAttributes.class);
            } catch (IOException e) {
                log.line("warning: unable to stat ", fn);
                return null;
            }
            // qmail unlinks stale info and channel files (a crash's leftovers) first; here
            // createExcl replaces the ones it writes, and the unused channels' are unlinked
            // below, all before todo/N can go.
            fn = files.info(id);
            try {
                info = files.spares().createExcl(fn);
            } catch (IOException e) {
                log.line("warning: unable to create ", fn);
                return null;
            }
            log.line("new msg ", id);
            ok = records.copy(id, in, info, chan, mess.size());
            for (int c = 0; ok && c < 2; c++) {
                if (chan[c] == null && !unlink(files.chan(id, c))) {
                    ok = false;
                }
            }
        } catch (IOException e) {
            log.line("warning: trouble reading ", todo);
        } finally {
            if (!ok) {
                closeAll(info, chan);
            }
        }
        return ok ? new Prepared(id, info, chan, records.sender()) : null;
    }

    /**
     * Finishes prepared entries: fsyncs all their files at once (one disk wait for the batch,
     * see {@link Fsync}; on a helper thread when there is an event queue, so that the main loop
     * starts deliveries and reads reports meanwhile), has qmail-clean remove each entry whose
     * files are safe (pipelined, {@link Clean#requests}), then schedules those. An entry whose fsync failed is logged and
     * left in {@code todo/} for the next scan, as in qmail.
     */
    private void commit(List<Prepared> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Spares.Out> all = new ArrayList<>();
        for (Prepared p : batch) {
            all.add(p.info());
            for (Spares.Out c : p.chan()) {
                if (c != null) {
                    all.add(c);
                }
            }
        }
        FileChannel[] chans = new FileChannel[all.size()];
        IOException[] trimmed = new IOException[chans.length];
        for (int i = 0; i < chans.length; i++) {
            chans[i] = all.get(i).ch;
            try {
                Spares.trim(all.get(i));
            } catch (IOException e) {
                trimmed[i] = e;
            }
        }
        if (syncer == null) {
            finish(batch, Fsync.forceAll(chans), trimmed);
            return;
        }
        for (Prepared p : batch) {
            cleaning.add(p.id()); // not to be preprocessed again by a new scan meanwhile
        }
        syncing = true;
        try {
            syncer.execute(() -> {
                IOException[] fail = Fsync.forceAll(chans);
                ev.post(() -> {
                    syncing = false;
                    for (Prepared p : batch) {
                        cleaning.remove(p.id());
                    }
                    finish(batch, fail, trimmed);
                });
            });
        } catch (RuntimeException e) {
            syncing = false;
            for (Prepared p : batch) {
                cleaning.remove(p.id());
            }
            finish(batch, Fsync.forceAll(chans), trimmed);
        }
    }

    /** The rest of {@link #commit} once the fsyncs are done (main thread). */
    private void finish(List<Prepared> batch, IOException[] fail, IOException[] trimmed) {
        for (int i = 0; i < fail.length; i++) {
            if (trimmed[i] != null) {
                fail[i] = trimmed[i];
            }
        }
        List<Prepared> safe = new ArrayList<>();
        List<String> todos = new ArrayList<>();
        int k = 0;
        for (Prepared p : batch) {
            String bad = fail[k++] != null ? files.info(p.id()) : null;
            for (int c = 0; c < 2; c++) {
                if (p.chan()[c] != null && fail[k++] != null && bad == null) {
                    bad = files.chan(p.id(), c);
                }
            }
            closeAll(p.info(), p.chan());
            if (bad != null) {
                log.line("warning: trouble fsyncing ", bad);
            } else {
                safe.add(p);
                todos.add(QueueFiles.todo(p.id()));
            }
        }
        List<Clean.Then> thens = new ArrayList<>();
        for (Prepared p : safe) {
            cleaning.add(p.id());
            thens.add(ok -> {
                cleaning.remove(p.id());
                if (ok) {
                    schedule(p);
                }
            });
        }
        clean.requests(todos, thens);
    }

    /**
     * A preprocessed message whose {@code todo/N} is gone joins the queues; what its info file
     * holds is kept for its passes (the birth is the file's mtime, as getinfo reads it).
     */
    private void schedule(Prepared p) {
        if (p.sender() != null) {
            try {
                BasicFileAttributes a = files.stat(files.info(p.id()));
                if (a != null) {
                    files.infos().remember(p.id(), new InfoCache.Info(p.sender(),
                            QueueFiles.seconds(a.lastModifiedTime()), a.size()));
                }
            } catch (IOException e) {
                // The passes read the file, as qmail does.
            }
        }
        long now = st.now();
        for (int c = 0; c < 2; c++) {
            if (p.chan()[c] != null) {
                pq.chan[c].insert(p.id(), now);
            }
        }
        if (p.chan()[0] == null && p.chan()[1] == null) {
            pq.done.insert(p.id(), now);
        }
    }

    private boolean unlink(String fn) {
        try {
            files.unlinkIfExists(fn);
            return true;
        } catch (IOException e) {
            log.line("warning: unable to unlink ", fn);
            return false;
        }
    }

    private static void closeAll(Spares.Out info, Spares.Out[] chan) {
        for (Spares.Out f : new Spares.Out[] {info, chan[0], chan[1]}) {
            if (f != null) {
                try {
                    f.ch.close();
                } catch (IOException e) {
                    // Data was fsynced before this point, or the entry is abandoned anyway.
                }
            }
        }
    }
}
