package org.jqmail.inject;

import java.util.List;
import org.jqmail.io.Exit;
import org.jqmail.io.Guard;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;
import org.jqmail.io.SuppressForbidden;

/** {@code preline [-frdFRD] CMD [ARG ...]}: feeds CMD the From_, Return-Path and Delivered-To lines and the message. */
public final class Preline {
    private Preline() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Preline.class.getName(), a);
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        Exit.now(Guard.run("preline", () -> Prepend.preline(Env.process(), args(a), Helpers.stdin(), Out.stderr())));
    }
}
