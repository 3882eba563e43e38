package org.jqmail.qmtpd;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.control.Control;
import org.jqmail.io.Main;
import org.jqmail.io.Fds;

/**
 * qmail-qmqpc: queues a message via QMQP, with qmail-queue's interface; a mini-qmail's
 * {@code bin/qmail-queue} (doc/QMTP.md §4).
 *
 * <p>Synopsis: {@code qmail-qmqpc} with the message on fd 0 and the envelope on fd 1, as
 * qmail-queue(8). It tries the servers of {@code control/qmqpservers} (IPv4 addresses, port 628)
 * in order until one takes the connection, and exits with that server's verdict.
 *
 * <p>Exit status, qmail-queue's codes as qmail-qmqpc uses them: 0 accepted; 31 the server
 * refused it for good; 71 the server refused it for now; 72 or 73 no server could be reached
 * (the last one timed out, or refused); 74 the conversation failed; 51 out of memory; 54 the
 * message or envelope could not be read; 55 no {@code control/qmqpservers}, or no usable line
 * in it; 61 no QMAILHOME; 91 the envelope was not qmail-queue's format.
 *
 * <p>See also: qmail-qmqpc(8), qmail-queue(8), {@link Qmqpc}.
 */
public final class QmailQmqpc {
    private QmailQmqpc() {
    }

    public static void main(String[] args) {
        Main.guard(Qmqpc.TEMP);
        int code;
        try {
            code = run();
        } catch (OutOfMemoryError e) {
            code = Qmqpc.NOMEM;
        } catch (Throwable t) {
            code = Qmqpc.TEMP;
        }
        Main.end(code);
    }

    private static int run() throws IOException {
        Auto auto = Auto.get();
        if (!Files.isDirectory(auto.home())) {
            return Qmqpc.HOME;
        }
        List<byte[]> servers;
        try {
            servers = Control.forHome(auto.home()).readFile("qmqpservers", false);
        } catch (IOException e) {
            return Qmqpc.CONTROL;
        }
        if (servers == null) {
            return Qmqpc.CONTROL;
        }
        try (Spool message = new Spool()) {
            byte[] after;
            try {
                message.fill(Fds.in(0));
                after = Qmqpc.envelope(Fds.in(1));
            } catch (Qmqpc.Format e) {
                return Qmqpc.FORMAT;
            } catch (IOException e) {
                return Qmqpc.READ;
            }
            int lasterror = Qmqpc.CONTROL;
            for (byte[] server : servers) {
                byte[] ip = Qmqpc.ip(server);
                if (ip == null) {
                    continue;
                }
                int r = Qmqpc.attempt(ip, Qmqpc.PORT, message, after);
                if (r != Qmqpc.TIMED_OUT && r != Qmqpc.REFUSED) {
                    return r;
                }
                lasterror = r;
            }
            return lasterror;
        }
    }
}
