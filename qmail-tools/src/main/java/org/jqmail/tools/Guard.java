package org.jqmail.tools;

import java.util.concurrent.Callable;
import org.jqmail.io.Out;

/**
 * The failure channel of this module's {@code main}s: anything unexpected is a temporary
 * failure, exit 111 (STYLE.md §4).
 */
final class Guard {
    private Guard() {
    }

    /** Runs {@code body}; returns its exit code, 111 if it throws. */
    static int run(String prog, Callable<Integer> body) {
        try {
            return body.call();
        } catch (OutOfMemoryError e) {
            Out.err(prog + ": fatal: out of memory\n");
            return 111;
        } catch (Throwable t) {
            Out.err(prog + ": fatal: " + t + "\n");
            return 111;
        }
    }
}
