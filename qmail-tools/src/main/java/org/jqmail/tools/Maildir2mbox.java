package org.jqmail.tools;

import org.jqmail.io.Main;
import org.jqmail.io.Out;

/** {@code maildir2mbox}: moves $MAILDIR's messages to the end of $MAIL. See {@link Mbox}. */
public final class Maildir2mbox {
    private Maildir2mbox() {
    }

    public static void main(String[] a) {
        Main.guard(111);
        Main.end(Main.run("maildir2mbox", () -> new Mbox(Out.stderr()).run(System.getenv("MAILDIR"), System.getenv("MAIL"), System.getenv("MAILTMP"),
                System.currentTimeMillis() / 1000)));
    }
}
