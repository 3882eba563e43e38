package org.jqmail.tools;

import org.jqmail.control.Auto;
import org.jqmail.io.Main;
import org.jqmail.io.Out;

/** {@code qmailctl COMMAND}: start, stop, stat, queue, doctor and friends. See {@link Ctl}. */
public final class Qmailctl {
    private Qmailctl() {
    }

    public static void main(String[] a) {
        Main.guard(111);
        Main.end(Main.run("qmailctl", () -> new Ctl(Auto.get(), Out.stdout(), Out.stderr()).run(a)));
    }
}
