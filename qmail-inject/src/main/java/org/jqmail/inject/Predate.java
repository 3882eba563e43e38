package org.jqmail.inject;

import java.util.List;
import org.jqmail.io.Exit;
import org.jqmail.io.Guard;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;
import org.jqmail.io.SuppressForbidden;

/** {@code predate CHILD [ARG ...]}: feeds CHILD a local-time Date field and stdin; exits as CHILD. */
public final class Predate {
    private Predate() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Predate.class.getName(), a);
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        Exit.now(Guard.run("predate", () -> Prepend.predate(args(a), Helpers.stdin(), Out.stderr(), System.currentTimeMillis() / 1000)));
    }
}
