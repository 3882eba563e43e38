package org.jqmail.rspawn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jqmail.control.Auto;
import org.jqmail.control.SpawnLoop;
import org.jqmail.io.Fds;
import org.jqmail.io.HeapTrim;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.remote.RemoteSetup;
import org.jqmail.remote.TcptoFile;

/**
 * qmail-rspawn: runs qmail-send's remote deliveries.
 *
 * <p>Synopsis: {@code qmail-rspawn}, no arguments, started by qmail-start as qmailr with the
 * spawn protocol on fd 0 (commands) and fd 1 (the concurrency byte, then reports)
 * (doc/PROTOCOLS.md §3, qmail-rspawn(8)). At start it zeroes {@code queue/lock/tcpto}. Each
 * delivery is {@code qmail-remote DOMAIN SENDER RECIPIENT} with the message as input; by default it
 * runs in this JVM on its own thread ({@link InProcessSpawner}); if the environment has
 * {@code QMAILREMOTE}, that program is run instead ({@link ExecSpawner}). Reports are folded as
 * qmail-rspawn folds qmail-remote's output.
 *
 * <p>Exit codes: 0 when fd 0 ends and every delivery has reported; 111 if QMAILHOME/queue/mess
 * is missing, qmailq is unknown, or a privilege drop (only when started as root) fails.
 *
 * <p>See also: {@code qmail-rspawn(8)}, {@code spawn.c}, {@link SpawnLoop}.
 */
public final class QmailRspawn {
    private QmailRspawn() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        HeapTrim.start();
        int code;
        try {
            Auto auto = Auto.get();
            Path home = auto.home();
            Path mess = home.resolve("queue").resolve("mess");
            if (!Files.isDirectory(mess)) {
                Main.end(111);
            }
            if (!auto.singleUser()) {
                Accounts.dropIfRoot(auto.user(Auto.QMAILR));
            }
            int uidq = Accounts.uid(auto.user(Auto.QMAILQ));
            TcptoFile.forHome(home).clean();
            Map<String, String> environ = System.getenv();
            String qr = environ.get("QMAILREMOTE");
            SpawnLoop.Spawner spawner = qr != null
                    ? new ExecSpawner(qr, mess)
                    : InProcessSpawner.forHome(home, environ, RemoteSetup.resolver(environ), ProcessHandle.current().pid());
            code = new SpawnLoop(Fds.in(0), Fds.out(1), mess, auto.spawn(), uidq, spawner).run();
        } catch (Throwable t) {
            Out.err("qmail-rspawn: fatal: " + t + "\n");
            code = 111;
        }
        Main.end(code);
    }
}
