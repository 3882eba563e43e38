package org.jqmail.inject;

import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;

/** {@code mailsubj SUBJECT RECIP ...}: mails stdin with that subject. */
public final class Mailsubj {
    private Mailsubj() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Mailsubj.class.getName(), a);
    }

    public static void main(String[] a) {
        Main.guard(111);
        Main.end(Main.run("mailsubj", () -> Helpers.mailsubj(Auto.get(), Env.process(), args(a), Helpers.stdin(), Out.stdout(), Out.stderr(),
                System.currentTimeMillis() / 1000, ProcessHandle.current().pid())));
    }
}
