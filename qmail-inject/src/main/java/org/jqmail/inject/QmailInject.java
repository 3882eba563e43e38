package org.jqmail.inject;

import org.jqmail.control.Auto;
import org.jqmail.control.QueueClient;
import org.jqmail.io.Fds;
import org.jqmail.io.LeanUnixSockets;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;

/**
 * {@code qmail-inject [-nNaAhH] [-f sender] [recip ...]}: message on stdin, queued or printed;
 * exit 0, 100 (permanent) or 111 (temporary). See {@link Inject}.
 */
public final class QmailInject {
    private QmailInject() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        // No cryptography here: a cheap start for the socket to qmail-queued.
        LeanUnixSockets.prepare();
        int code;
        try {
            Auto auto = Auto.get();
            code = new Inject(Env.process(), auto.home(), QueueClient.opener(auto), Fds.in(0), Out.stdout(), Out.stderr(),
                    System.currentTimeMillis() / 1000, ProcessHandle.current().pid())
                    .run(ProcSelf.args(QmailInject.class.getName(), args));
        } catch (OutOfMemoryError e) {
            code = Main.failed(Out.stderr(), Trouble.nomem().text(), 111);
        } catch (Throwable t) {
            code = Main.failed(Out.stderr(), Trouble.bug().text(), 111);
        }
        Main.end(code);
    }
}
