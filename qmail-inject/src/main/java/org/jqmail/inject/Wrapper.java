package org.jqmail.inject;

import java.io.OutputStream;
import java.util.List;

/**
 * The rule shared by {@code except}, {@code bouncesaying} and {@code condredirect}
 * (condredirect(1), bouncesaying(1), except(1)): run a program on the message (stdin inherited) and
 * sort its ending into success, temporary failure and anything else.
 */
final class Wrapper {
    /** How the program ended, as these helpers see it. */
    enum Outcome { ZERO, TEMPORARY, OTHER }

    private Wrapper() {
    }

    /**
     * Runs {@code argv}. A crash or exit 111 prints {@code PROG: fatal: child crashed} or
     * {@code ... temporary child error} and yields {@link Outcome#TEMPORARY}. A program that
     * cannot be started counts as having exited 111 (temporary errno) or 100 (else), as the
     * forked child in qmail does.
     */
    static Outcome run(String prog, List<byte[]> argv, OutputStream err) {
        Child.Result r = Child.run(argv, null, null);
        int code = r.started() ? r.code() : r.execFailureCode();
        if (r.started() && r.crashed()) {
            Requeue.say(err, prog + ": fatal: child crashed\n", 111);
            return Outcome.TEMPORARY;
        }
        if (code == 0) {
            return Outcome.ZERO;
        }
        if (code == 111) {
            Requeue.say(err, prog + ": fatal: temporary child error\n", 111);
            return Outcome.TEMPORARY;
        }
        return Outcome.OTHER;
    }
}
