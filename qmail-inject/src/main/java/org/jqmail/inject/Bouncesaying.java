package org.jqmail.inject;

import java.util.List;
import org.jqmail.io.Exit;
import org.jqmail.io.Guard;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;
import org.jqmail.io.SuppressForbidden;

/** {@code bouncesaying TEXT [PROG [ARG ...]]}: bounces with TEXT (if PROG exits 0). */
public final class Bouncesaying {
    private Bouncesaying() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Bouncesaying.class.getName(), a);
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        Exit.now(Guard.run("bouncesaying", () -> Helpers.bouncesaying(args(a), Out.stderr())));
    }
}
