package org.jqmail.smtpd.listener;

import java.io.IOException;
import java.util.Map;
import org.jqmail.control.Auto;
import org.jqmail.control.Qmail;
import org.jqmail.control.QueueClient;
import org.jqmail.smtpd.Queue;

/**
 * The listener's queue: as {@link Queue#of}, but submissions over qmail-queued's socket share
 * a few connections kept open between messages ({@link QueuePool}), one pool for all its
 * sessions; {@code QMAILQUEUE} runs that program as always.
 */
final class PooledQueue implements Queue {
    private final Auto auto;
    private final QueuePool pool;

    PooledQueue(Auto auto) {
        this.auto = auto;
        this.pool = new QueuePool(auto.queueSocket());
    }

    @Override
    public Qmail open(Map<String, String> env) throws IOException {
        return QueueClient.open(auto, env, pool);
    }
}
