package org.jqmail.inject;

import org.jqmail.control.Auto;
import org.jqmail.io.Fds;
import org.jqmail.io.LeanUnixSockets;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;

/**
 * {@code sendmail [ -t ] [ -fsender ] [ -Fname ] [ -bp ] [ -bs ] [ arg ... ]}: the sendmail
 * interface to qmail-inject, qmail-qread ({@code -bp}, or invoked as {@code mailq}) and
 * qmail-smtpd ({@code -bs}). The name it was invoked by comes from the system property
 * {@code jqmail.argv0} (the launcher passes {@code $0}). See {@link SendmailRun}.
 */
public final class Sendmail {
    private Sendmail() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        // No cryptography here: a cheap start for the socket to qmail-queued.
        LeanUnixSockets.prepare();
        int code;
        try {
            code = new SendmailRun(Auto.get(), Env.process(), Fds.in(0), Out.stdout(), Out.stderr(),
                    System.currentTimeMillis() / 1000, ProcessHandle.current().pid())
                    .run(System.getProperty("jqmail.argv0", "sendmail"),
                            ProcSelf.args(Sendmail.class.getName(), args));
        } catch (OutOfMemoryError e) {
            Out.err("sendmail: fatal: out of memory\n");
            code = 111;
        } catch (Throwable t) {
            Out.err("sendmail: fatal: unable to run qmail-inject\n");
            code = 111;
        }
        Main.end(code);
    }
}
