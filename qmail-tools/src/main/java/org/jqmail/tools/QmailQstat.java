package org.jqmail.tools;

import org.jqmail.control.Auto;
import org.jqmail.io.Main;
import org.jqmail.io.Out;

/** {@code qmail-qstat}: how many messages are queued. See {@link Qstat}. */
public final class QmailQstat {
    private QmailQstat() {
    }

    public static void main(String[] a) {
        Main.guard(111);
        Main.end(Main.run("qmail-qstat", () -> new Qstat(Auto.get(), Out.stdout(), Out.stderr()).run()));
    }
}
