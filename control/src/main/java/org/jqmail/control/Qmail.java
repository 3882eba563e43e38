package org.jqmail.control;

import java.io.IOException;

/**
 * One submission to the queue, qmail's {@code qmail.h} ({@code qmail_put}, {@code qmail_fail},
 * {@code qmail_from}, {@code qmail_to}, {@code qmail_close}). {@link QueueClient} is the real
 * one; programs hold this interface so that their tests can record a submission without a queue.
 */
public interface Qmail {
    /** {@code qmail_open}: starts a submission; throws if qmail-queue cannot be started at all. */
    interface Opener {
        Qmail open() throws IOException;
    }

    void put(byte[] b, int off, int n);

    default void put(byte[] b) {
        put(b, 0, b.length);
    }

    /** {@code qmail_fail}: the submission is to be abandoned at {@link #close}. */
    void fail();

    void from(byte[] sender);

    void to(byte[] rcpt);

    /** {@code qmail_close}: empty on success, else qmail's status text starting with Z or D. */
    String close();

    /** The qp of the submission, valid after {@link #close}. */
    long qp();
}
