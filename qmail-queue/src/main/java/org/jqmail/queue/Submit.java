package org.jqmail.queue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.jqmail.control.Envelope;
import org.jqmail.control.QueueClient;
import org.jqmail.control.QueueExit;
import org.jqmail.io.SubstdioIn;

/**
 * What {@code bin/qmail-queue} does: reads the message from fd 0 and the envelope from fd 1
 * exactly as qmail-queue reads them, streams both to qmail-queued and returns the server's
 * exit code, so callers cannot tell it from the setuid original.
 *
 * <p>It checks the envelope itself (exit 91 for a record that is not {@code F}/{@code T},
 * 11 for an address over 1002 bytes, 54 for end of input before the final NUL) and then
 * abandons the submission, so the server discards it. It never re-routes through
 * {@code QMAILQUEUE}. If qmail-queued cannot be reached it exits 73 (connection to the mail
 * server rejected); if the conversation breaks off, 74.
 */
final class Submit {
    private static final int ENV_BUF = 2048;

    private Submit() {
    }

    /** Exit code and the fd 6 text (code 82 only, else null). */
    record Outcome(int code, byte[] text) {
    }

    static Outcome run(Path socket, long pid, InputStream message, InputStream envelope) {
        QueueClient qc;
        try {
            qc = QueueClient.openSocket(socket, pid);
        } catch (IOException e) {
            return new Outcome(QueueExit.CONN_REFUSED.code(), null);
        }
        try {
            qc.putAll(message);
        } catch (IOException e) {
            return abandon(qc, QueueExit.READ);
        }
        try {
            Envelope.read(new SubstdioIn(envelope, ENV_BUF), (type, addr) -> {
                if (type == 'F') {
                    qc.from(addr);
                } else {
                    qc.to(addr);
                }
            });
        } catch (Envelope.BadEnvelope e) {
            switch (e.problem()) {
                case FORMAT: return abandon(qc, QueueExit.ENVELOPE);
                case TOO_LONG: return abandon(qc, QueueExit.ADDR_TOO_LONG);
                default: return abandon(qc, QueueExit.READ);
            }
        } catch (IOException e) {
            return abandon(qc, QueueExit.READ);
        }
        qc.close();
        int code = qc.exitCode();
        return new Outcome(code, code == QueueExit.CUSTOM.code() ? qc.customText() : null);
    }

    private static Outcome abandon(QueueClient qc, QueueExit code) {
        qc.fail();
        qc.close();
        return new Outcome(code.code(), null);
    }

    /** Writes the fd 6 text, if any, in one write; errors are ignored as nobody may listen. */
    static void writeText(Outcome o, OutputStream fd6) {
        if (o.text() == null || fd6 == null) {
            return;
        }
        try {
            fd6.write(o.text());
            fd6.flush();
        } catch (IOException e) {
            // The caller did not give us an error channel after all.
        }
    }
}
