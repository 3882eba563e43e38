package org.jqmail.send;

import java.io.OutputStream;
import org.jqmail.control.Auto;
import org.jqmail.control.QueueClient;
import org.jqmail.io.Fds;
import org.jqmail.io.HeapTrim;
import org.jqmail.io.Main;
import org.jqmail.io.RawFd;
import org.jqmail.io.SuppressForbidden;

/**
 * qmail-send: schedules deliveries of queued messages (qmail-send(8)).
 *
 * <p>Synopsis: {@code qmail-send}, normally exec'd by qmail-start as qmails with fd 0 = log
 * output, fd 1/2 = qmail-lspawn commands/reports, fd 3/4 = qmail-rspawn, fd 5/6 = qmail-clean.
 * Catches TERM (finish running deliveries, save retry times, exit 0), ALRM (retry everything
 * now) and HUP (reread {@code locals} and {@code virtualdomains}). Exits 111 if it cannot start,
 * after logging {@code alert: cannot start: ...}; unreadable control files are the exception:
 * it logs the alert once and reads them again every few seconds until they can be read
 * ({@code doc/SECURITY.md} §4), instead of exiting into supervise's restart loop.
 *
 * <p>See also: {@code qmail-send(8)}, {@code qmail-log(5)}, qmail's {@code INTERNALS},
 * doc/QUEUE.md.
 */
public final class QmailSend {
    private QmailSend() {
    }

    @SuppressForbidden(reason = "sun.misc.Signal is the only way to catch TERM, ALRM, HUP")
    public static void main(String[] args) {
        Main.guard(111);
        HeapTrim.start();
        int code;
        try {
            Auto auto = Auto.get();
            OutputStream log = Fds.out(0);
            Send send = new Send(new Send.Io(log,
                    new OutputStream[] {RawFd.out(1), RawFd.out(3)},
                    new java.io.InputStream[] {RawFd.in(2), RawFd.in(4)},
                    RawFd.out(5), RawFd.in(6), auto.home(), auto.split(), new SendMutex(),
                    QueueClient.opener(auto), SendState.SYSTEM));
            // ALRM last: qmailctl takes a caught ALRM as the sign that all three are in place.
            for (String sig : new String[] {"TERM", "HUP", "ALRM"}) {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> send.signal(sig));
            }
            code = send.run();
        } catch (Throwable t) {
            // Not a qmail log line: a bug, said once where the administrator looks.
            new Log(new java.io.FileOutputStream(java.io.FileDescriptor.in))
                    .line("alert: cannot start: internal error: ", Log.safe(org.jqmail.io.Bytes.ascii(String.valueOf(t))));
            code = 111;
        }
        Main.end(code);
    }
}
