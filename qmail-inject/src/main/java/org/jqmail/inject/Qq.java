package org.jqmail.inject;

import java.io.IOException;
import org.jqmail.control.Auto;
import org.jqmail.control.QueueClient;

/**
 * One submission to qmail-queue, as qmail-inject and its helpers use it ({@code qmail.c}): the
 * message, then the envelope, then qmail-queue's status string. An interface so that tests can
 * watch a submission without a queue.
 */
interface Qq {
    /** Starts a submission. */
    interface Opener {
        Qq open() throws IOException;
    }

    void put(byte[] b, int off, int n);

    default void put(byte[] b) {
        put(b, 0, b.length);
    }

    void from(byte[] sender);

    void to(byte[] rcpt);

    /** Empty on success, else qmail's {@code Z...} or {@code D...} text. */
    String close();

    long qp();

    /** The real queue: qmail-queued's socket, or {@code $QMAILQUEUE}. */
    static Opener of(Auto auto) {
        return () -> {
            QueueClient c = QueueClient.open(auto);
            return new Qq() {
                @Override
                public void put(byte[] b, int off, int n) {
                    c.put(b, off, n);
                }

                @Override
                public void from(byte[] sender) {
                    c.from(sender);
                }

                @Override
                public void to(byte[] rcpt) {
                    c.to(rcpt);
                }

                @Override
                public String close() {
                    return c.close();
                }

                @Override
                public long qp() {
                    return c.qp();
                }
            };
        };
    }
}
