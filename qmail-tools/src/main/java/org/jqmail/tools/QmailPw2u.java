package org.jqmail.tools;

import org.jqmail.control.Auto;
import org.jqmail.io.Fds;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;

/** {@code qmail-pw2u [-/ohHuUC] [-cC] < passwd > assign}: users/assign lines from passwd. See {@link Pw2u}. */
public final class QmailPw2u {
    private QmailPw2u() {
    }

    public static void main(String[] a) {
        Main.guard(111);
        Main.end(Main.run("qmail-pw2u", () -> new Pw2u(Auto.get(), Fds.in(0), Out.stdout(), Out.stderr()).run(ProcSelf.args(QmailPw2u.class.getName(), a))));
    }
}
