package org.jqmail.pop3d;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jqmail.io.Fds;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;
import org.jqmail.io.SubstdioOut;

/**
 * qmail-pop3d: lets a user read and delete the mail of one Maildir over POP3, run by a
 * checkpassword program as that user.
 *
 * <p>Synopsis: {@code qmail-pop3d MAILDIR} with the client on fd 0 (read) and fd 1 (write);
 * MAILDIR is relative to the working directory checkpassword left (the user's home), normally
 * {@code Maildir}. Every read and write has qmail's 20-minute timeout.
 *
 * <p>Exit status: 0 when the session ends, whatever the reason (as qmail's {@code die()}); 1
 * with {@code qmail-pop3d invoked as uid 0, terminating} on stderr when run as root, which
 * qmail-popup reports as a failed login; 111 on an unexpected internal error. Without MAILDIR,
 * or when it cannot be entered, the client gets {@code -ERR this user has no $HOME/Maildir}.
 * No native code: the uid comes from {@code /proc/self/status}.
 *
 * <p>See also: qmail-pop3d(8), {@link Pop3d}, {@link QmailPopup}, doc/POP3.md.
 */
public final class QmailPop3d {
    private QmailPop3d() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        int code;
        try {
            code = run(args);
        } catch (Throwable t) {
            code = Main.failed("qmail-pop3d", t, 111);
        }
        Main.end(code);
    }

    private static int run(String[] args) throws IOException {
        // An unreadable uid counts as root: never serve a session that might run as root.
        if (ProcSelf.uid() <= 0) {
            Out.err("qmail-pop3d invoked as uid 0, terminating\n");
            return 1;
        }
        Deadline deadline = new Deadline(Deadline.POP3_SECONDS, new Halt(0));
        OutputStream out = deadline.out(Fds.out(1));
        Path maildir = args.length == 0 ? null : Path.of(args[0]);
        // chdir(MAILDIR) succeeds for a directory this uid may search.
        if (maildir == null || !Files.isDirectory(maildir) || !Files.isExecutable(maildir)) {
            Pop3d.err(new SubstdioOut(out, Pop3d.OUT_BUF), Pop3d.NOMAILDIR);
            return 0;
        }
        try {
            Pop3d.serve(deadline.in(Fds.in(0)), out, maildir, System.currentTimeMillis() / 1000);
        } catch (IOException e) {
            // A failed read or write: qmail's die().
        }
        return 0;
    }

    /** A deadline's end: the process with a fixed status (a named class: no lambda linkage at start-up). */
    static final class Halt implements Runnable {
        private final int code;

        Halt(int code) {
            this.code = code;
        }

        @Override
        public void run() {
            Main.end(code);
        }
    }
}
