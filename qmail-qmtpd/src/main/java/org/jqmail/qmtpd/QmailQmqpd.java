package org.jqmail.qmtpd;

import org.jqmail.control.Auto;
import org.jqmail.io.Main;
import org.jqmail.io.Fds;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;

/**
 * qmail-qmqpd: receives mail via QMQP, one message per connection, under tcpserver (port 628)
 * for the trusted clients its rules allow (a mini-qmail's qmail-qmqpc).
 *
 * <p>Synopsis: {@code tcpserver -x rules.cdb ... qmail-qmqpd}; the connection on fd 0 and fd 1,
 * the environment of tcp-environ(5). It relays to any destination: tcpserver's rules must
 * refuse every client that is not trusted.
 *
 * <p>Exit status: 0 after the answer or when the client closes the connection, 100 for a
 * protocol error, 111 for a lack of resources or the session's one hour running out.
 *
 * <p>See also: qmail-qmqpd(8), {@link Qmqpd}, doc/QMTP.md.
 */
public final class QmailQmqpd {
    private QmailQmqpd() {
    }

    public static void main(String[] args) {
        Main.guard(Quit.RESOURCES);
        int code;
        try {
            Daemon.alarm();
            Auto auto = Auto.get();
            SubstdioOut out = new SubstdioOut(Fds.out(1), 256);
            SubstdioIn in = new SubstdioIn(Fds.in(0), 512);
            new Qmqpd(new Wire(in), out, Daemon.queue(auto), new Remote(System.getenv()), new Daemon.Clock()).run();
            code = Quit.EOF;
        } catch (Quit e) {
            code = e.code;
        } catch (Throwable t) {
            code = Quit.RESOURCES;
        }
        Main.end(code);
    }
}
