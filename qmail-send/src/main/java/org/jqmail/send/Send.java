package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jqmail.control.Control;
import org.jqmail.control.Qmail;

/**
 * qmail-send's start-up and main loop (qmail-send(8)): everything between {@code main}'s
 * argument handling and its exit code, with the queue root, clock, descriptors and spawn
 * endpoints as parameters so that tests can run it in-process.
 *
 * <p>The loop is qmail's: compute the earliest wake-up from the passes, the todo scan and the
 * cleanup; wait for an event (a report, a finished command write, a trigger pull, a signal) at
 * most that long; then let each part do one step. All state lives on the calling thread.
 */
final class Send {
    /** The sendmutex lock ({@code lock_exnb}). */
    interface Mutex {
        /** False if another process holds the lock; throws if the file cannot be opened. */
        boolean tryLock(Path sendmutex) throws IOException;
    }

    /**
     * Everything qmail-send talks to: fd 0 (log), fds 1/3 and 2/4 (spawn commands and
     * reports), fds 5/6 (qmail-clean), QMAILHOME, the split, and the bounce injector.
     */
    record Io(OutputStream log, OutputStream[] spawnOut, InputStream[] spawnIn, OutputStream cleanOut,
              InputStream cleanIn, Path home, int split, Mutex mutex, Qmail.Opener qq,
              SendState.Clock clock) {
    }

    private final Io io;
    private final Log log;
    private final Events ev = new Events();
    private final SendState st;

    Send(Io io) {
        this.io = io;
        this.log = new Log(io.log());
        this.st = new SendState(io.clock());
    }

    /** Signal delivery: TERM, ALRM or HUP (by name); safe from any thread. */
    void signal(String name) {
        switch (name) {
            case "TERM":
                st.exitasap = true;
                break;
            case "ALRM":
                st.runasap = true;
                break;
            case "HUP":
                st.readasap = true;
                break;
            default:
                return;
        }
        ev.post(Events.Kind.WAKE, 0);
    }

    /** Runs until SIGTERM (or a lost daemon) and every running delivery has reported. */
    int run() {
        Path home = io.home();
        if (!Files.isDirectory(home)) {
            return cannot("unable to switch to home directory");
        }
        Control control = Control.forHome(home);
        Controls ctl = controls(control);
        if (ctl == null) {
            log.line("status: exiting");
            return 0;
        }
        Path queue = home.resolve("queue");
        if (!Files.isDirectory(queue)) {
            return cannot("unable to switch to queue directory");
        }
        try {
            if (!io.mutex().tryLock(queue.resolve("lock").resolve("sendmutex"))) {
                return cannot("qmail-send is already running");
            }
        } catch (IOException e) {
            return cannot("unable to open mutex");
        }
        int[] conc = new int[2];
        for (int c = 0; c < 2; c++) {
            int u;
            try {
                u = io.spawnIn()[c].read();
            } catch (IOException e) {
                u = -1;
            }
            if (u < 0) {
                return cannot("hath the daemon spawn no fire?");
            }
            int want = ctl.concurrency[c];
            conc[c] = (want < 0 || want > u) ? u : want;
        }
        loop(ctl, control, new QueueFiles(queue, io.split()), conc);
        return 0;
    }

    /** How often unreadable controls are read again at start, in seconds. */
    static final int CONTROLS_RETRY = 5;

    /**
     * {@code getcontrols}, until it succeeds; null if TERM comes first. qmail-send exits 111
     * when it cannot read its controls, and supervise starts it again a second later: for a JVM
     * a second of CPU per try and an alert line per second, for as long as the file stays
     * wrong. Here the alert is logged once per reason (qmail's line, with the file and its
     * bound when a file is over {@link Control}'s bounds) and the controls are read again
     * every {@link #CONTROLS_RETRY} seconds.
     */
    private Controls controls(Control control) {
        String said = null;
        for (;;) {
            try {
                return Controls.read(control);
            } catch (IOException | RuntimeException e) {
                String why = e instanceof Control.TooLargeException
                        ? "unable to read controls: " + e.getMessage() : "unable to read controls";
                if (!why.equals(said)) {
                    log.line("alert: cannot start: ", why.replace('\n', '/'));
                    said = why;
                }
            }
            for (int i = 0; i < CONTROLS_RETRY; i++) {
                if (st.exitasap) {
                    return null;
                }
                io.clock().sleep(1);
            }
            control = Control.forHome(io.home());
        }
    }

    private int cannot(String why) {
        log.line("alert: cannot start: ", why);
        return 111;
    }

    private void loop(Controls ctl, Control control, QueueFiles files, int[] conc) {
        log.buffered();
        Comm comm = new Comm(io.spawnOut(), ev);
        comm.start();
        ev.readSpawn(0, io.spawnIn()[0]);
        ev.readSpawn(1, io.spawnIn()[1]);
        Clean clean = new Clean(io.cleanOut(), io.cleanIn(), log, st, ev);
        Schedule pq = new Schedule(files, log, st);
        pq.start();
        Jobs jobs = new Jobs(conc[0] + conc[1], files, log, pq, st);
        Bounce bounce = new Bounce(files, ctl, log, io.qq(), st);
        Deliveries del = new Deliveries(conc, files, log, jobs, comm, bounce, st);
        del.status();
        MessDone messdone = new MessDone(files, log, pq, bounce, clean, st);
        Passes passes = new Passes(files, log, pq, jobs, del, messdone, ctl, st);
        Trigger trigger = new Trigger(files.path("lock/trigger"), ev);
        Todo todo = new Todo(files, ctl, log, clean, pq, st, trigger, ev);
        Cleanup cleanup = new Cleanup(files, log, clean, st);

        try {
            turns(ctl, control, pq, passes, todo, cleanup, del, trigger, clean);
        } finally {
            log.flush(); // also when a bug ends the loop: the lines so far are not lost
        }
    }

    private void turns(Controls ctl, Control control, Schedule pq, Passes passes, Todo todo,
                       Cleanup cleanup, Deliveries del, Trigger trigger, Clean clean) {
        while (!st.exitasap || !del.canExit()) {
            st.recent = st.now();
            if (st.runasap) {
                st.runasap = false;
                pq.run(st.recent);
            }
            if (st.readasap) {
                st.readasap = false;
                ctl.reread(control, log);
            }
            long wakeup = st.recent + SendState.SLEEP_FOREVER;
            wakeup = passes.selprep(wakeup);
            wakeup = todo.selprep(wakeup);
            wakeup = cleanup.selprep(wakeup);
            long wait = wakeup <= st.recent ? 0 : (wakeup - st.recent + SendState.SLEEP_FUZZ) * 1000;
            log.flush(); // the turn's lines, before waiting
            for (Events.Event e = ev.poll(wait); e != null; e = ev.pollNow()) {
                handle(e, del, trigger, clean);
            }
            st.recent = st.now();
            todo.run();
            passes.run();
            cleanup.run();
        }
        pq.finish();
        log.line("status: exiting");
    }

    private void handle(Events.Event e, Deliveries del, Trigger trigger, Clean clean) {
        int c = e.channel();
        switch (e.kind()) {
            case REPORT:
                if (del.alive[c]) {
                    del.reports(c, e.data(), e.data().length);
                }
                break;
            case SPAWN_EOF:
            case WRITE_DIED:
                if (del.alive[c]) {
                    del.spawnDied(c);
                }
                break;
            case TRIGGER:
                trigger.pull();
                break;
            case CLEANED:
                clean.replies(e.data());
                break;
            case CLEAN_EOF:
                clean.lost();
                break;
            case TASK:
                e.task().run();
                break;
            default:
                break;
        }
    }
}
