package org.jqmail.inject;

import java.util.List;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;

/** {@code preline [-frdFRD] CMD [ARG ...]}: feeds CMD the From_, Return-Path and Delivered-To lines and the message. */
public final class Preline {
    private Preline() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Preline.class.getName(), a);
    }

    public static void main(String[] a) {
        Main.guard(111);
        Main.end(Main.run("preline", () -> Prepend.preline(Env.process(), args(a), Helpers.stdin(), Out.stderr())));
    }
}
