package org.jqmail.tools;

import org.jqmail.io.Guard;
import org.jqmail.io.Out;
import org.jqmail.io.SuppressForbidden;

/** {@code maildir2mbox}: moves $MAILDIR's messages to the end of $MAIL. See {@link Mbox}. */
public final class Maildir2mbox {
    private Maildir2mbox() {
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        System.exit(Guard.run("maildir2mbox", () -> new Mbox(Out.stderr()).run(System.getenv("MAILDIR"), System.getenv("MAIL"), System.getenv("MAILTMP"),
                System.currentTimeMillis() / 1000)));
    }
}
