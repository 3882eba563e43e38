package org.jqmail.smtpd.listener;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.jqmail.control.Auto;
import org.jqmail.io.Bytes;
import org.jqmail.io.Out;
import org.jqmail.io.SuppressForbidden;
import org.jqmail.io.nat.Nat;
import org.jqmail.smtpd.Environ;

/**
 * qmail-smtpd-listener: qmail-smtpd's long-lived listener mode (doc/ARCHITECTURE.md §6). Accepts
 * SMTP connections itself and runs each as a qmail-smtpd session on a thread, with tcpserver's
 * per-connection environment and access rules.
 *
 * <p>Synopsis: {@code qmail-smtpd-listener [-1UXpPhHrRoOdDqQv] [-c limit] [-x rules.cdb]
 * [-B banner] [-g group|gid] [-u user|uid] [-b backlog] [-l localname] [-t timeout] host port}
 * (see {@link ListenerArgs}, {@link Listener}); typically {@code -u qmaild -g nofiles -x
 * QMAILHOME/etc/tcp.smtp.cdb 0 25}. Binds first (as root for port 25), then switches to the
 * -u/-g identity before accepting anything.
 *
 * <p>Exit codes: 100 for a usage error, 111 when it cannot start (with
 * {@code qmail-smtpd-listener: fatal: ...} on stderr); otherwise it runs until killed.
 *
 * <p>See also: tcpserver(1), tcprules(1), qmail-smtpd(8), {@link org.jqmail.smtpd.QmailSmtpd}.
 */
public final class QmailSmtpdListener {
    private QmailSmtpdListener() {
    }

    @SuppressForbidden(reason = "main maps the outcome to the exit status")
    public static void main(String[] argv) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        try {
            ListenerArgs args = ListenerArgs.parse(argv);
            Map<String, String> env = Environ.current();
            ServerSocket ss;
            try {
                ss = Listener.bind(args);
            } catch (IOException e) {
                Out.err("qmail-smtpd-listener: fatal: unable to bind: " + e.getMessage() + "\n");
                System.exit(111);
                return;
            }
            if (args.user != null || args.group != null || args.envUidGid) {
                Privileges.drop(args, Nat.posix(), env);
            }
            if (args.printPort) {
                Out.out(Bytes.ascii(ss.getLocalPort() + "\n"));
            }
            Auto auto = Auto.get();
            new Listener(args, auto.home(), env, new PooledQueue(auto)).serve(ss);
        } catch (ListenerArgs.Usage e) {
            Out.err("qmail-smtpd-listener: " + e.getMessage() + "\n");
            System.exit(100);
        } catch (Privileges.Fatal e) {
            Out.err("qmail-smtpd-listener: fatal: " + e.getMessage() + "\n");
        } catch (Throwable t) {
            Out.err("qmail-smtpd-listener: fatal: " + t + "\n");
        }
        System.exit(111);
    }
}
