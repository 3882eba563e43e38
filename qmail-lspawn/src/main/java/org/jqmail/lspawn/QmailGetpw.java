package org.jqmail.lspawn;

import org.jqmail.control.Auto;
import org.jqmail.io.Bytes;
import org.jqmail.io.Main;
import org.jqmail.io.Out;

/**
 * qmail-getpw: prints the user that receives mail for a local part (qmail-getpw(8)).
 *
 * <p>Synopsis: {@code qmail-getpw LOCAL}; prints {@code user\0uid\0gid\0home\0dash\0ext\0} and
 * exits 0; 100 without an argument, 116 if there is no alias user, 115 on a temporary
 * failure to examine a home directory, 118 on other system trouble. qmail-lspawn applies the
 * same rules in-process; this program exists for administrators and for a C qmail-lspawn.
 *
 * <p>See also: {@code qmail-getpw(8)}.
 */
public final class QmailGetpw {
    private QmailGetpw() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        if (args.length < 1) {
            Main.end(100);
        }
        int code;
        try {
            Auto auto = Auto.get();
            Assignment a = new Getpw(Accounts.SYSTEM, auto.user(Auto.ALIAS)).lookup(Bytes.ascii(args[0]));
            code = Out.out(a.encode()) ? 0 : 111;
        } catch (Qlx q) {
            code = q.code();
        } catch (Throwable t) {
            code = Main.failed("qmail-getpw", t, 111);
        }
        Main.end(code);
    }
}
