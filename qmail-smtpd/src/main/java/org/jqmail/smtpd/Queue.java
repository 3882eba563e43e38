package org.jqmail.smtpd;

import java.io.IOException;
import java.util.Map;
import org.jqmail.control.Auto;
import org.jqmail.control.Qmail;
import org.jqmail.control.QueueClient;

/**
 * How a session starts a submission ({@code qmail_open}) with its own environment, whose
 * {@code QMAILQUEUE} may name another program. The real one is {@link QueueClient}; tests
 * inject a recording sink; the listener's goes through a pool of connections
 * ({@code listener.PooledQueue}).
 */
public interface Queue {
    /** Throws when qmail-queue cannot be started (451 qqt failure). */
    Qmail open(Map<String, String> env) throws IOException;

    /** The queue of this installation: qmail-queued's socket, or {@code $QMAILQUEUE}. */
    static Queue of(Auto auto) {
        return new Installed(auto);
    }

    /** A named class, not a lambda: tcpserver mode starts a JVM per connection. */
    final class Installed implements Queue {
        private final Auto auto;

        Installed(Auto auto) {
            this.auto = auto;
        }

        @Override
        public Qmail open(Map<String, String> env) throws IOException {
            return QueueClient.open(auto, env);
        }
    }
}
