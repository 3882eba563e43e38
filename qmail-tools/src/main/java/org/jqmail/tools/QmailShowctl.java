package org.jqmail.tools;

import org.jqmail.control.Auto;
import org.jqmail.io.Guard;
import org.jqmail.io.Out;
import org.jqmail.io.SuppressForbidden;

/** {@code qmail-showctl}: qmail's settings and control files explained. See {@link Showctl}. */
public final class QmailShowctl {
    private QmailShowctl() {
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        System.exit(Guard.run("qmail-showctl", () -> new Showctl(Auto.get(), Passwd.system(), Out.stdout(), Out.stderr()).run()));
    }
}
