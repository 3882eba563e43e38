package org.jqmail.inject;

import java.util.List;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;

/** {@code predate CHILD [ARG ...]}: feeds CHILD a local-time Date field and stdin; exits as CHILD. */
public final class Predate {
    private Predate() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Predate.class.getName(), a);
    }

    public static void main(String[] a) {
        Main.guard(111);
        Main.end(Main.run("predate", () -> Prepend.predate(args(a), Helpers.stdin(), Out.stderr(), System.currentTimeMillis() / 1000)));
    }
}
