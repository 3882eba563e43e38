package org.jqmail.inject;

import java.util.List;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;

/** {@code bouncesaying TEXT [PROG [ARG ...]]}: bounces with TEXT (if PROG exits 0). */
public final class Bouncesaying {
    private Bouncesaying() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Bouncesaying.class.getName(), a);
    }

    public static void main(String[] a) {
        Main.guard(111);
        Main.end(Main.run("bouncesaying", () -> Helpers.bouncesaying(args(a), Out.stderr())));
    }
}
