package org.jqmail.tools;

import org.jqmail.control.Auto;
import org.jqmail.io.Guard;
import org.jqmail.io.Out;
import org.jqmail.io.SuppressForbidden;

/** {@code qmailctl COMMAND}: start, stop, stat, queue, doctor and friends. See {@link Ctl}. */
public final class Qmailctl {
    private Qmailctl() {
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        System.exit(Guard.run("qmailctl", () -> new Ctl(Auto.get(), Out.stdout(), Out.stderr()).run(a)));
    }
}
