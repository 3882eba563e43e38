package org.jqmail.queue;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jqmail.control.Auto;
import org.jqmail.io.Prot;
import org.jqmail.io.Scan;
import org.jqmail.io.nat.Posix;

/**
 * The start-up of qmail-queued: argument parsing, account look-ups, the socket, the privilege
 * drop, then the accept loop. Every start-up failure is a {@link Fatal} with qmail's
 * {@code fatal:} wording; the entry class prints it and exits 111.
 *
 * <p>Synopsis: {@code qmail-queued [-c limit] [-t seconds]}: at most {@code limit}
 * submissions at once (default 200), each given {@code seconds} (default 86400, qmail-queue's
 * DEATH) before it is answered 52.
 *
 * <p>Started as root it binds the socket, hands it to qmailq and becomes qmailq (group qmail)
 * before reading any submission; started as anyone else it keeps its uid.
 */
final class Queued {
    static final int DEFAULT_LIMIT = 200;
    static final long DEATH = 86400;

    /** A start-up failure; the message follows {@code qmail-queued: fatal: }. */
    static final class Fatal extends Exception {
        private static final long serialVersionUID = 1L;

        Fatal(String m) {
            super(m);
        }
    }

    private final Auto auto;
    private final Posix px;
    private int limit = DEFAULT_LIMIT;
    private long deadline = DEATH;

    Queued(Auto auto, Posix px) {
        this.auto = auto;
        this.px = px;
    }

    void args(String[] argv) throws Fatal {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if ((a.equals("-c") || a.equals("-t")) && i + 1 < argv.length) {
                long v = Scan.strict(argv[++i]);
                if (v < 1 || v > Integer.MAX_VALUE) {
                    throw new Fatal("usage: qmail-queued [-c limit] [-t seconds]");
                }
                if (a.equals("-c")) {
                    limit = (int) v;
                } else {
                    deadline = v;
                }
            } else {
                throw new Fatal("usage: qmail-queued [-c limit] [-t seconds]");
            }
        }
    }

    private Posix.Passwd user(String role) throws Fatal {
        String name = auto.user(role);
        try {
            Posix.Passwd pw = px.getpwnam(name);
            if (pw == null) {
                throw new Fatal("unable to find user " + name);
            }
            return pw;
        } catch (IOException e) {
            throw new Fatal("unable to find user " + name);
        }
    }

    /** Runs the server; returns only by throwing. */
    void run() throws Fatal, IOException {
        Posix.Passwd qmailq = user(Auto.QMAILQ);
        Invokers invokers = new Invokers(user(Auto.ALIAS).uid() & 0xffffffffL,
                user(Auto.QMAILD).uid() & 0xffffffffL, user(Auto.QMAILS).uid() & 0xffffffffL);
        if (!Files.isDirectory(auto.home())) {
            throw new Fatal("unable to switch to " + auto.home() + ": file does not exist");
        }
        Path queue = auto.queueDir();
        if (!Files.isDirectory(queue)) {
            throw new Fatal("unable to switch to " + queue + ": file does not exist");
        }
        px.umask(033);
        ServerSocketChannel server;
        try {
            server = QueueServer.bind(auto.queueSocket());
        } catch (IOException e) {
            throw new Fatal("unable to bind " + auto.queueSocket() + ": " + e.getMessage());
        }
        dropPrivileges(qmailq);
        Enqueue enqueue = new Enqueue(queue, auto.split(), Trigger.fifo(queue));
        new QueueServer(enqueue, invokers, PeerUid.credentials(px), limit, deadline, px.getpid())
                .serve(server);
    }

    private void dropPrivileges(Posix.Passwd qmailq) throws Fatal {
        if (px.getuid() != 0) {
            // Started by a supervisor as qmailq is the normal case; anything else is said once.
            if (auto.singleUser() || px.getuid() != qmailq.uid()) {
                org.jqmail.io.Out.err("qmail-queued: not started as root: running as uid " + px.getuid()
                        + " without privilege separation\n");
            }
            return;
        }
        try {
            px.chown(auto.queueSocket().toString(), qmailq.uid(), qmailq.gid());
            Prot.drop(px, qmailq.uid(), qmailq.gid(), new int[] {qmailq.gid()});
        } catch (IOException | RuntimeException e) {
            throw new Fatal("unable to switch to user " + qmailq.name() + ": " + e.getMessage());
        }
    }
}
