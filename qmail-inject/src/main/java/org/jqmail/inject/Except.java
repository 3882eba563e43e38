package org.jqmail.inject;

import java.util.List;
import org.jqmail.io.Exit;
import org.jqmail.io.Guard;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;
import org.jqmail.io.SuppressForbidden;

/** {@code except PROG [ARG ...]}: turns PROG's success into a bounce (100) and its other failures into 0. */
public final class Except {
    private Except() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Except.class.getName(), a);
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        Exit.now(Guard.run("except", () -> Helpers.except(args(a), Out.stderr())));
    }
}
