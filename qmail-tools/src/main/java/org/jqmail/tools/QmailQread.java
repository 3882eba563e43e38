package org.jqmail.tools;

import org.jqmail.control.Auto;
import org.jqmail.io.Main;
import org.jqmail.io.Out;

/** {@code qmail-qread}: the queue's messages and recipients. See {@link Qread}. */
public final class QmailQread {
    private QmailQread() {
    }

    public static void main(String[] a) {
        Main.guard(111);
        Main.end(Main.run("qmail-qread", () -> new Qread(Auto.get(), Out.stdout()).run()));
    }
}
