package org.jqmail.smtpd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import org.jqmail.control.Auto;
import org.jqmail.io.Bytes;
import org.jqmail.io.Fds;
import org.jqmail.io.SuppressForbidden;

/**
 * qmail-smtpd: receives mail via SMTP, one connection per process, under tcpserver or any
 * ucspi-tcp server (DESIGN.md §4, tcpserver mode).
 *
 * <p>Synopsis: {@code tcpserver ... qmail-smtpd}; the connection on fd 0 (read) and fd 1
 * (write), the environment of tcp-environ(5) plus RELAYCLIENT and DATABYTES. When fd 0 is a
 * socket, reads time out by {@code SO_TIMEOUT}; when it is a pipe (tests), a watchdog does
 * qmail's timeout action (answer {@code 451 timeout (#4.4.2)}, exit 1).
 *
 * <p>Exit status: 0 after QUIT, 1 otherwise; never interpreted by anyone. Loads no native
 * code unless {@code QMAILQUEUE} is set.
 *
 * <p>See also: qmail-smtpd(8), {@link Smtpd}, {@link QmailSmtpdListener}.
 */
public final class QmailSmtpd {
    private QmailSmtpd() {
    }

    @SuppressForbidden(reason = "main maps the outcome to the exit status; timeouts end the process")
    public static void main(String[] args) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(1));
        int code = 1;
        try {
            Channel ch = System.inheritedChannel();
            Conn conn;
            if (ch instanceof SocketChannel) {
                Socket s = ((SocketChannel) ch).socket();
                conn = new Conn(s.getInputStream(), s.getOutputStream(), sec -> s.setSoTimeout(sec * 1000),
                        null, () -> Runtime.getRuntime().halt(1));
            } else {
                InputStream in = Fds.in(0);
                OutputStream out = Fds.out(1);
                conn = new Conn(in, out, null, () -> {
                    try {
                        out.write(Bytes.ascii(Smtpd.TIMEOUT));
                    } catch (IOException e) {
                        // Nobody to tell.
                    }
                    Runtime.getRuntime().halt(1);
                }, () -> Runtime.getRuntime().halt(1));
            }
            Auto auto = Auto.get();
            code = new Smtpd(auto.home(), Environ.current(), conn, Queue.of(auto),
                    () -> System.currentTimeMillis() / 1000).run();
        } catch (Throwable t) {
            code = 1;
        }
        System.exit(code);
    }
}
