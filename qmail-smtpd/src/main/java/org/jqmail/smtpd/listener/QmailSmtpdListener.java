package org.jqmail.smtpd.listener;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.Map;
import org.jqmail.control.Auto;
import org.jqmail.io.Bytes;
import org.jqmail.io.HeapTrim;
import org.jqmail.io.Main;
import org.jqmail.io.Errors;
import org.jqmail.io.Out;
import org.jqmail.io.nat.Nat;
import org.jqmail.smtpd.Environ;

/**
 * qmail-smtpd-listener: qmail-smtpd's long-lived listener mode (doc/ARCHITECTURE.md §6). Accepts
 * SMTP connections itself and runs each as a qmail-smtpd session on a thread, with tcpserver's
 * per-connection environment and access rules.
 *
 * <p>Synopsis: {@code qmail-smtpd-listener [-1SUXpPhHrRoOdDqQv] [-c limit] [-x rules.cdb]
 * [-B banner] [-g group|gid] [-u user|uid] [-b backlog] [-l localname] [-t timeout] [host port]}
 * (see {@link ListenerArgs}, {@link Listener}); typically {@code -u qmaild -g nofiles -x
 * QMAILHOME/etc/tcp.smtp.cdb 0 25}. Binds first (as root for port 25), then switches to the
 * -u/-g identity before accepting anything. Besides its TCP port it takes the connections
 * that {@code bin/qmail-smtpd} hands over under tcpserver ({@link Handoff}, doc/HANDOFF.md);
 * without host and port it takes only those.
 *
 * <p>Exit codes: 100 for a usage error, 111 when it cannot start (with
 * {@code qmail-smtpd-listener: fatal: ...} on stderr); otherwise it runs until killed.
 *
 * <p>See also: tcpserver(1), tcprules(1), qmail-smtpd(8), {@link org.jqmail.smtpd.QmailSmtpd}.
 */
public final class QmailSmtpdListener {
    private QmailSmtpdListener() {
    }

    /** A listener without a TCP port that cannot take hand-offs either. */
    private static final class NoHandoff extends Exception {
        private static final long serialVersionUID = 1L;

        NoHandoff(String m) {
            super(m);
        }
    }

    /**
     * The hand-off socket (doc/HANDOFF.md); null when the installation has none, or, with a TCP
     * port to serve, when it cannot be opened (said on stderr).
     */
    private static Handoff handoff(ListenerArgs args, Auto auto, Listener listener, boolean only)
            throws NoHandoff {
        if (!Files.isDirectory(auto.home().resolve(Handoff.SOCKET).getParent())) {
            if (only) {
                throw new NoHandoff("no hand-off socket: " + auto.home().resolve(Handoff.SOCKET).getParent()
                        + " does not exist");
            }
            return null;
        }
        try {
            return Handoff.open(Nat.posix(), auto, listener, args.backlog);
        } catch (IOException e) {
            if (only) {
                throw new NoHandoff("unable to open the hand-off socket: " + e.getMessage());
            }
            listener.log(1, "warning: not taking hand-offs: " + e.getMessage());
            return null;
        }
    }

    public static void main(String[] argv) {
        Main.guard(111);
        try {
            ListenerArgs args = ListenerArgs.parse(argv);
            Map<String, String> env = Environ.current();
            ServerSocket ss = null;
            if (args.host != null) {
                try {
                    ss = Listener.bind(args);
                } catch (IOException e) {
                    Out.err("qmail-smtpd-listener: fatal: unable to bind: " + e.getMessage() + "\n");
                    Main.end(111);
                    return;
                }
            }
            if (args.user != null || args.group != null || args.envUidGid) {
                Privileges.drop(args, Nat.posix(), env);
            }
            HeapTrim.start();
            if (args.printPort && ss != null) {
                Out.out(Bytes.ascii(ss.getLocalPort() + "\n"));
            }
            Auto auto = Auto.get();
            Listener listener = new Listener(args, auto.home(), env, new PooledQueue(auto));
            try {
                listener.checkRules();
            } catch (IOException e) {
                Out.err("qmail-smtpd-listener: fatal: unable to read " + args.rules + ": " + Errors.str(e) + "\n");
                Main.end(111);
                return;
            }
            Handoff handoff = handoff(args, auto, listener, ss == null);
            if (ss == null) {
                handoff.serve();
            } else {
                if (handoff != null) {
                    handoff.start();
                }
                listener.serve(ss);
            }
        } catch (ListenerArgs.Usage e) {
            Out.err("qmail-smtpd-listener: " + e.getMessage() + "\n");
            Main.end(100);
        } catch (Privileges.Fatal | NoHandoff e) {
            Out.err("qmail-smtpd-listener: fatal: " + e.getMessage() + "\n");
        } catch (Throwable t) {
            Out.err("qmail-smtpd-listener: fatal: " + t + "\n");
        }
        Main.end(111);
    }
}
