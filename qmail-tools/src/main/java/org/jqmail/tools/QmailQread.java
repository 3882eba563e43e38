package org.jqmail.tools;

import org.jqmail.control.Auto;
import org.jqmail.io.Guard;
import org.jqmail.io.Out;
import org.jqmail.io.SuppressForbidden;

/** {@code qmail-qread}: the queue's messages and recipients. See {@link Qread}. */
public final class QmailQread {
    private QmailQread() {
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        System.exit(Guard.run("qmail-qread", () -> new Qread(Auto.get(), Out.stdout()).run()));
    }
}
