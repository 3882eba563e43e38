package org.jqmail.control;

import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * Connections to qmail-queued kept open between submissions ({@link QueueProtocol}'s
 * {@code QQ2}), for a long-lived process that submits often. {@link QueueClient#open(QueueConnections)}
 * takes an idle connection, writes the submission's header to it (which is the check that the
 * server still holds it) and gives it back after an answer 0 to a submission sent whole; every
 * other connection is closed. The SMTP listener's pool implements it.
 */
public interface QueueConnections {
    /** qmail-queued's socket, for a new connection when no idle one is left. */
    Path socket();

    /** An idle connection to try for the next submission, or null when none is kept. */
    SocketChannel take();

    /** Keeps {@code ch} for a later submission, or closes it. */
    void release(SocketChannel ch);
}
