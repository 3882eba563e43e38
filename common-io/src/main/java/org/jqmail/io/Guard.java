package org.jqmail.io;

import java.util.concurrent.Callable;

/**
 * The failure channel of the qmail-inject and tool {@code main}s (doc/CODING.md §1): an unexpected
 * throwable is a temporary failure (exit 111), never the JVM's exit 1, which a {@code .qmail}
 * caller would read as permanent.
 */
public final class Guard {
    private Guard() {
    }

    /** Runs {@code body}; returns its exit code, 111 if it throws. */
    public static int run(String prog, Callable<Integer> body) {
        try {
            return body.call();
        } catch (OutOfMemoryError e) {
            Out.err(prog + ": fatal: out of memory\n");
            return 111;
        } catch (Throwable t) {
            Out.err(prog + ": fatal: internal error: " + t + "\n");
            return 111;
        }
    }
}
