package org.jqmail.smtpd;

import java.io.IOException;
import java.util.Map;
import org.jqmail.control.Auto;
import org.jqmail.control.QueueClient;

/**
 * How a session queues a message: qmail's {@code qmail.h} interface ({@code qmail_open},
 * {@code qmail_put}, {@code qmail_fail}, {@code qmail_from}, {@code qmail_to},
 * {@code qmail_close}). The real one is {@link QueueClient}; tests inject a recording sink.
 */
interface Qmail {
    /** {@code qmail_open}; throws when qmail-queue cannot be started (451 qqt failure). */
    Txn open(Map<String, String> env) throws IOException;

    /** One submission. */
    interface Txn {
        void put(byte[] b, int off, int n);

        void fail();

        void from(byte[] sender);

        void to(byte[] rcpt);

        /** Empty on success, else a text starting with Z or D. */
        String close();

        /** The qp to report, valid after {@link #close}. */
        long qp();
    }

    /** The queue of this installation: qmail-queued's socket, or {@code $QMAILQUEUE}. */
    static Qmail of(Auto auto) {
        return env -> {
            QueueClient qc = QueueClient.open(auto, env);
            return new Txn() {
                @Override
                public void put(byte[] b, int off, int n) {
                    qc.put(b, off, n);
                }

                @Override
                public void fail() {
                    qc.fail();
                }

                @Override
                public void from(byte[] sender) {
                    qc.from(sender);
                }

                @Override
                public void to(byte[] rcpt) {
                    qc.to(rcpt);
                }

                @Override
                public String close() {
                    return qc.close();
                }

                @Override
                public long qp() {
                    return qc.qp();
                }
            };
        };
    }
}
