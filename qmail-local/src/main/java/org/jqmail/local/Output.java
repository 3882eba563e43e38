package org.jqmail.local;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where a delivery's text goes: qmail-local's fd 1 ({@code did}, {@code qp}, {@code -n}
 * listings) and fd 2 (every error text), and the output of the programs it runs. qmail-lspawn
 * reads fd 1 and fd 2 through one pipe and turns everything into the delivery report, so the
 * order of writes is what the report shows.
 *
 * <p>The standalone program writes straight to its fds and lets programs inherit them
 * ({@link FdOutput}); the warm worker collects everything in memory for its response
 * ({@link BufferOutput}).
 */
interface Output {
    /** Discards everything (argument parsing of worker requests, which cannot complain). */
    Output NONE = new Output() {
        @Override
        public void out(byte[] b) {
            // discarded
        }

        @Override
        public void err(byte[] b) {
            // discarded
        }

        @Override
        public boolean inheritable() {
            return false;
        }
    };

    /**
     * Writes to fd 1 in one write, as a flushed {@code substdio} does. Errors are ignored, as
     * qmail ignores them: the exit code still tells.
     */
    void out(byte[] b);

    /** Writes to fd 2 in one write; errors are ignored. */
    void err(byte[] b);

    /**
     * True if a program's stdout and stderr may simply be this process's fds 1 and 2, as in
     * qmail; false if {@link #copy} must collect them from a pipe.
     */
    boolean inheritable();

    /** Copies a program's combined output until end of input (only if not inheritable). */
    default void copy(InputStream programOutput) throws IOException {
        byte[] b = new byte[4096];
        int n;
        while ((n = programOutput.read(b)) > 0) {
            out(java.util.Arrays.copyOf(b, n));
        }
    }
}
