package org.jqmail.lspawn;

import java.nio.file.Path;
import org.jqmail.control.Auto;
import org.jqmail.control.SpawnLoop;
import org.jqmail.io.Bytes;
import org.jqmail.io.Fds;
import org.jqmail.io.HeapTrim;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;

/**
 * qmail-lspawn: runs local deliveries for qmail-send (qmail-lspawn(8), qmail-getpw(8),
 * qmail-users(5), doc/PROTOCOLS.md §3).
 *
 * <p>Synopsis: {@code qmail-lspawn DEFAULTDELIVERY}, run as root by qmail-start with delivery
 * commands on fd 0 and reports on fd 1. It announces its concurrency limit, then for each
 * command finds the receiving user and runs qmail-local as that user, never as root. Exits 100
 * without an argument, 0 at end of input after every delivery has reported.
 *
 * <p>Environment: deliveries run in warm per-uid {@code qmail-local-worker} processes
 * (doc/ARCHITECTURE.md §7), which saves a JVM start (about 100 ms of CPU) per delivery;
 * {@code JQMAIL_LSPAWN_WORKERS=0} runs a fresh {@code bin/qmail-local} for each delivery
 * instead, as qmail does (and is the way to put a C qmail-local in).
 * {@code JQMAIL_LSPAWN_IDLE} (seconds, default 60) is how long an idle worker is kept;
 * {@code JQMAIL_LSPAWN_WORKERS_PER_UID} (default 4) is the most workers kept for one user:
 * further deliveries to that user wait for a free one. Each worker is a JVM of its own, with
 * its own memory and JIT warm-up; four keep up with Maildir deliveries to one user at several
 * hundred a second.
 *
 * <p>See also: {@code qmail-lspawn(8)}, {@code qmail-getpw(8)}, {@code qmail-users(5)}.
 */
public final class QmailLspawn {
    private QmailLspawn() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        HeapTrim.start();
        if (args.length < 1) {
            Main.end(100);
        }
        int code;
        try {
            code = run(args[0]);
        } catch (Throwable t) {
            code = Main.failed("qmail-lspawn", t, 111);
        }
        Main.end(code);
    }

    private static int run(String aliasempty) throws Exception {
        Auto auto = Auto.get();
        Posix px = Nat.posix();
        boolean drop = !auto.singleUser();
        if (!drop) {
            Out.err("qmail-lspawn: single-user install: every delivery runs as this user\n");
        }
        Posix.Passwd q = px.getpwnam(auto.user(Auto.QMAILQ));
        if (q == null) {
            Out.err("qmail-lspawn: fatal: unable to find user " + auto.user(Auto.QMAILQ) + "\n");
            return 111;
        }
        Path home = auto.home();
        LocalRunner runner = "0".equals(System.getenv("JQMAIL_LSPAWN_WORKERS"))
                ? new ExecRunner(home, drop)
                : new WorkerRunner(home, drop, idleSeconds() * 1000, workersPerUid());
        LocalSpawner sp = new LocalSpawner(new UsersCdb(auto.usersDir().resolve("cdb")),
                new Getpw(Accounts.SYSTEM, auto.user(Auto.ALIAS)), runner, Bytes.ascii(aliasempty),
                drop ? -1 : px.getuid());
        SpawnLoop loop = new SpawnLoop(Fds.in(0), Fds.out(1), auto.queueDir().resolve("mess"),
                auto.spawn(), q.uid(), sp);
        int r = loop.run();
        runner.close();
        return r;
    }

    private static int workersPerUid() {
        String s = System.getenv("JQMAIL_LSPAWN_WORKERS_PER_UID");
        long v = s == null ? -1 : org.jqmail.io.Scan.strict(s);
        return v > 0 && v <= 255 ? (int) v : 4;
    }

    private static long idleSeconds() {
        String s = System.getenv("JQMAIL_LSPAWN_IDLE");
        long v = s == null ? -1 : org.jqmail.io.Scan.strict(s);
        return v > 0 ? v : 60;
    }
}
