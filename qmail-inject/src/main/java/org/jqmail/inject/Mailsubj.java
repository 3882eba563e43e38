package org.jqmail.inject;

import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.io.Exit;
import org.jqmail.io.Guard;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;
import org.jqmail.io.SuppressForbidden;

/** {@code mailsubj SUBJECT RECIP ...}: mails stdin with that subject. */
public final class Mailsubj {
    private Mailsubj() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Mailsubj.class.getName(), a);
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        Exit.now(Guard.run("mailsubj", () -> Helpers.mailsubj(Auto.get(), Env.process(), args(a), Helpers.stdin(), Out.stdout(), Out.stderr(),
                System.currentTimeMillis() / 1000, ProcessHandle.current().pid())));
    }
}
