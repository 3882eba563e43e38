package org.jqmail.local;

import java.io.IOException;
import org.jqmail.control.Auto;
import org.jqmail.control.QueueClient;

/**
 * One submission to the queue, the part of qmail's {@code qmail.h} that forwarding uses. The
 * real one is control's {@link QueueClient} (qmail-queued's socket, or {@code $QMAILQUEUE});
 * tests pass a recorder.
 */
interface Queue {
    void put(byte[] b, int off, int n);

    void fail();

    void from(byte[] sender);

    void to(byte[] rcpt);

    /** qmail_close's status: empty for success, else {@code Z…} or {@code D…}. */
    String close();

    /** The qp to print after success. */
    long qp();

    /** Starts a submission; an exception means qmail-queue could not be started at all. */
    interface Opener {
        Queue open() throws IOException;
    }

    /**
     * Submissions through {@link QueueClient#open(Auto)}, QMAILHOME read only when a forward
     * is actually made.
     */
    static Opener client() {
        return new ClientOpener();
    }

    /** A named class rather than a lambda: a lean program's first lambda costs start-up time. */
    final class ClientOpener implements Opener {
        @Override
        public Queue open() throws IOException {
            return new Client(QueueClient.open(Auto.get()));
        }
    }

    /** {@link QueueClient} as a {@link Queue}. */
    final class Client implements Queue {
        private final QueueClient c;

        Client(QueueClient c) {
            this.c = c;
        }

        @Override
        public void put(byte[] b, int off, int n) {
            c.put(b, off, n);
        }

        @Override
        public void fail() {
            c.fail();
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
    }
}
