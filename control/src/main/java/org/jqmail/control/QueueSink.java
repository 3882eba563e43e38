package org.jqmail.control;

import java.io.IOException;

/**
 * Where a {@link QueueClient}'s bytes go: qmail-queued's socket ({@link QueueSocket}) or a
 * {@code $QMAILQUEUE} process ({@link QueueExec}).
 */
interface QueueSink {
    void message(byte[] b, int off, int n) throws IOException;

    void endMessage() throws IOException;

    void envelope(byte[] rec) throws IOException;

    /** Writes out whatever bytes are kept back for a larger write. */
    void flush() throws IOException;

    /**
     * Ends the submission (abandoning it if {@code abandon}) and collects the result;
     * {@code clean} when every byte of the submission was handed over without an error.
     */
    Result finish(boolean abandon, boolean clean);

    /** The outcome of one qmail-queue run. */
    record Result(boolean crashed, int code, long qp, byte[] text) {
    }
}
