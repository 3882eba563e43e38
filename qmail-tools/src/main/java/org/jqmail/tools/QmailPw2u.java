package org.jqmail.tools;

import org.jqmail.control.Auto;
import org.jqmail.io.Fds;
import org.jqmail.io.Guard;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;
import org.jqmail.io.SuppressForbidden;

/** {@code qmail-pw2u [-/ohHuUC] [-cC] < passwd > assign}: users/assign lines from passwd. See {@link Pw2u}. */
public final class QmailPw2u {
    private QmailPw2u() {
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        System.exit(Guard.run("qmail-pw2u", () -> new Pw2u(Auto.get(), Fds.in(0), Out.stdout(), Out.stderr()).run(ProcSelf.args(QmailPw2u.class.getName(), a))));
    }
}
