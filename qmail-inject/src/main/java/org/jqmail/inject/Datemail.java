package org.jqmail.inject;

import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.io.Exit;
import org.jqmail.io.Guard;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;
import org.jqmail.io.SuppressForbidden;

/** {@code datemail ARGS}: sendmail with a local-time Date field (qmail's {@code predate sendmail}). */
public final class Datemail {
    private Datemail() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Datemail.class.getName(), a);
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        Exit.now(Guard.run("datemail", () -> Helpers.datemail(Auto.get(), Env.process(), args(a), Helpers.stdin(), Out.stdout(), Out.stderr(),
                System.currentTimeMillis() / 1000, ProcessHandle.current().pid())));
    }
}
