package org.jqmail.send;

import java.io.IOException;
import org.jqmail.control.Auto;
import org.jqmail.control.QueueClient;

/** {@link Qmail} over control's {@link QueueClient}: qmail-queued's socket or {@code $QMAILQUEUE}. */
final class QueueClientQmail implements Qmail {
    private final QueueClient qc;

    private QueueClientQmail(QueueClient qc) {
        this.qc = qc;
    }

    static Qmail.Opener opener(Auto auto) {
        return () -> {
            try {
                return new QueueClientQmail(QueueClient.open(auto));
            } catch (UnsupportedOperationException e) {
                throw new IOException(e);
            }
        };
    }

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
    public void to(byte[] recip) {
        qc.to(recip);
    }

    @Override
    public String close() {
        return qc.close();
    }

    @Override
    public long qp() {
        return qc.qp();
    }
}
