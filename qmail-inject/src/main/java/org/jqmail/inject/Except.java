package org.jqmail.inject;

import java.util.List;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;

/** {@code except PROG [ARG ...]}: turns PROG's success into a bounce (100) and its other failures into 0. */
public final class Except {
    private Except() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Except.class.getName(), a);
    }

    public static void main(String[] a) {
        Main.guard(111);
        Main.end(Main.run("except", () -> Helpers.except(args(a), Out.stderr())));
    }
}
