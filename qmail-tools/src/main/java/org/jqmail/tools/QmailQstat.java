package org.jqmail.tools;

import org.jqmail.control.Auto;
import org.jqmail.io.Guard;
import org.jqmail.io.Out;
import org.jqmail.io.SuppressForbidden;

/** {@code qmail-qstat}: how many messages are queued. See {@link Qstat}. */
public final class QmailQstat {
    private QmailQstat() {
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        System.exit(Guard.run("qmail-qstat", () -> new Qstat(Auto.get(), Out.stdout(), Out.stderr()).run()));
    }
}
