package org.jqmail.send;

import java.io.IOException;

/**
 * One submission to qmail-queue as qmail-send makes it for a bounce ({@code qmail.c}, spec
 * §0.6). The production implementation wraps control's {@code QueueClient} (qmail-queued's
 * socket, or {@code $QMAILQUEUE}); tests substitute their own.
 */
interface Qmail {
    /** Opens submissions; throws if qmail-queue cannot be started. */
    interface Opener {
        Qmail open() throws IOException;
    }

    void put(byte[] b, int off, int n);

    default void put(byte[] b) {
        put(b, 0, b.length);
    }

    void fail();

    void from(byte[] sender);

    void to(byte[] recip);

    /** Empty on success, else qmail's status text starting with {@code Z} or {@code D}. */
    String close();

    /** The qp of the submission (valid after {@link #close}). */
    long qp();
}
