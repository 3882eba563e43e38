package org.jqmail.io;

/**
 * How a short-lived program ends: {@link Runtime#halt}, not {@link System#exit}. On JDK 21 and
 * later {@code System.exit} first asks for the {@code System.Logger} of
 * {@code java.lang.Runtime}, a ServiceLoader search that opens every jar on the class path
 * (some 10 ms of CPU for a program that lives for one message). jqmail's programs write their
 * output unbuffered or flush it themselves and register no shutdown hooks, so halting loses
 * nothing; class-data archives are still written at a training run's end.
 */
public final class Exit {
    private Exit() {
    }

    /** Ends the process with {@code code}; never returns. */
    @SuppressForbidden(reason = "the one way a short-lived main ends (see the class comment)")
    public static void now(int code) {
        Runtime.getRuntime().halt(code);
    }
}
