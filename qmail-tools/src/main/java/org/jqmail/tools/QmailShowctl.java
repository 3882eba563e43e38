package org.jqmail.tools;

import org.jqmail.control.Auto;
import org.jqmail.io.Main;
import org.jqmail.io.Out;

/** {@code qmail-showctl}: qmail's settings and control files explained. See {@link Showctl}. */
public final class QmailShowctl {
    private QmailShowctl() {
    }

    public static void main(String[] a) {
        Main.guard(111);
        Main.end(Main.run("qmail-showctl", () -> new Showctl(Auto.get(), Passwd.system(), Out.stdout(), Out.stderr()).run()));
    }
}
