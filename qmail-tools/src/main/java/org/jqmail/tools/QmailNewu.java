package org.jqmail.tools;

import org.jqmail.control.Auto;
import org.jqmail.io.Main;
import org.jqmail.io.Out;

/**
 * qmail-newu: prepares {@code users/assign} for qmail-lspawn (qmail-users(5)).
 *
 * <p>Synopsis: {@code qmail-newu}, no arguments; reads {@code QMAILHOME/users/assign} and
 * atomically replaces {@code QMAILHOME/users/cdb}. Exits 0, or 111 after printing
 * {@code qmail-newu: fatal: ...} on stderr.
 *
 * <p>See also: {@code qmail-newu(8)}, {@code qmail-users(5)}.
 */
public final class QmailNewu {
    private QmailNewu() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        int code = 0;
        try {
            Newu.run(Auto.get().home());
        } catch (Newu.Fatal f) {
            Out.err("qmail-newu: fatal: " + f.getMessage() + "\n");
            code = 111;
        } catch (Throwable t) {
            Out.err("qmail-newu: fatal: out of memory\n");
            code = 111;
        }
        Main.end(code);
    }
}
