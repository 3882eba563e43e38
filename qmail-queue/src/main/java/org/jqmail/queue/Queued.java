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
 * <p>Synopsis: {@code qmail-queued [-c users] [-u peruser] [-C pertrusted] [-s start]
 * [-i stall] [-t seconds]}, tcpserver-style (an option's value in the same or the next
 * argument). Limits on connections at once ({@link Admission}): each of root, alias, qmaild
 * and qmails at most {@code pertrusted} (default {@value #PER_TRUSTED}); every other uid at
 * most {@code peruser} ({@value #PER_USER}), and all of them together at most {@code users}
 * ({@value #USERS}). Deadlines ({@link Submission}): the submission's header within
 * {@code start} seconds of the connection ({@value #START}); for ordinary uids, no more than
 * {@code stall} seconds without a byte ({@value #STALL}, 0 for none); every submission
 * answered 52 after {@code seconds} ({@value #DEATH}, qmail-queue's alarm).
 *
 * <p>Started as root it binds the socket, hands it to qmailq and becomes qmailq (group qmail)
 * before reading any submission; started as anyone else it keeps its uid.
 */
final class Queued {
    static final int USERS = 200;
    static final int PER_USER = 20;
    static final int PER_TRUSTED = 1000;
    static final long START = 30;
    static final long STALL = 3600;
    static final long DEATH = 86400;
    static final String USAGE = "usage: qmail-queued [-c users] [-u peruser] [-C pertrusted] [-s start]"
            + " [-i stall] [-t seconds]";

    /** A start-up failure; the message follows {@code qmail-queued: fatal: }. */
    static final class Fatal extends Exception {
        private static final long serialVersionUID = 1L;

        Fatal(String m) {
            super(m);
        }
    }

    private final Auto auto;
    private final Posix px;
    int users = USERS;
    int perUser = PER_USER;
    int perTrusted = PER_TRUSTED;
    long start = START;
    long stall = STALL;
    long deadline = DEATH;

    Queued(Auto auto, Posix px) {
        this.auto = auto;
        this.px = px;
    }

    void args(String[] argv) throws Fatal {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.length() < 2 || a.charAt(0) != '-' || "cuCsit".indexOf(a.charAt(1)) < 0) {
                throw new Fatal(USAGE);
            }
            String v = a.length() > 2 ? a.substring(2) : i + 1 < argv.length ? argv[++i] : null;
            long n = v == null ? -1 : Scan.strict(v);
            char c = a.charAt(1);
            if (n < (c == 'i' ? 0 : 1) || n > Integer.MAX_VALUE) {
                throw new Fatal(USAGE);
            }
            switch (c) {
                case 'c': users = (int) n; break;
                case 'u': perUser = (int) n; break;
                case 'C': perTrusted = (int) n; break;
                case 's': start = n; break;
                case 'i': stall = n; break;
                default: deadline = n; break;
            }
        }
    }

    /** The deadlines in nanoseconds. */
    Submission.Deadlines deadlines() {
        return new Submission.Deadlines(start * 1_000_000_000L, stall * 1_000_000_000L,
                deadline * 1_000_000_000L, QueueServer.IDLE_NANOS, QueueServer.GRACE_NANOS);
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
        long uida = user(Auto.ALIAS).uid() & 0xffffffffL;
        long uidd = user(Auto.QMAILD).uid() & 0xffffffffL;
        long uids = user(Auto.QMAILS).uid() & 0xffffffffL;
        Invokers invokers = new Invokers(uida, uidd, uids);
        Admission admission = new Admission(new long[] {0, uida, uidd, uids}, perTrusted, perUser, users);
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
        new QueueServer(enqueue, invokers, PeerCred.kernel(px), admission, deadlines(), px.getpid(),
                QueueServer::now).serve(server);
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
