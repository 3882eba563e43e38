package org.jqmail.qmtpd;

import java.io.IOException;
import java.util.Map;
import org.jqmail.control.Auto;
import org.jqmail.control.Control;
import org.jqmail.control.RcptHosts;
import org.jqmail.io.Bytes;
import org.jqmail.io.Fds;
import org.jqmail.io.Main;
import org.jqmail.io.Scan;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;

/**
 * qmail-qmtpd: receives mail via QMTP, one connection per process, under tcpserver (port 209).
 *
 * <p>Synopsis: {@code tcpserver ... qmail-qmtpd}; the connection on fd 0 (read) and fd 1
 * (write), the environment of tcp-environ(5) plus RELAYCLIENT and DATABYTES. Control files:
 * {@code rcpthosts}, {@code morercpthosts.cdb}, {@code databytes}, as qmail-smtpd(8) reads them.
 *
 * <p>Exit status (qmail's, never interpreted by tcpserver): 0 when the client closes the
 * connection, 100 for a protocol error, 111 for a lack of resources, an unreadable control
 * file, or the session's one hour running out. Loads no native code unless {@code QMAILQUEUE}
 * is set.
 *
 * <p>See also: qmail-qmtpd(8), {@link Qmtpd}, doc/QMTP.md.
 */
public final class QmailQmtpd {
    private QmailQmtpd() {
    }

    public static void main(String[] args) {
        Main.guard(Quit.RESOURCES);
        int code;
        try {
            code = run(System.getenv());
        } catch (Throwable t) {
            code = Quit.RESOURCES;
        }
        Main.end(code);
    }

    private static int run(Map<String, String> env) throws IOException {
        Daemon.alarm();
        Auto auto = Auto.get();
        Control c = Control.forHome(auto.home());
        RcptHosts rh;
        long databytes;
        try {
            rh = RcptHosts.load(c);
            databytes = databytes(c.readInt("databytes", 0), env.get("DATABYTES"));
        } catch (IOException e) {
            return Quit.RESOURCES;
        }
        String relay = env.get("RELAYCLIENT");
        SubstdioOut out = new SubstdioOut(Fds.out(1), 256);
        SubstdioIn in = new SubstdioIn(Wire.flushing(Fds.in(0), out), 512);
        Qmtpd q = new Qmtpd(new Wire(in), out, Daemon.queue(auto), rh, relay == null ? null : Bytes.ascii(relay),
                databytes, new Remote(env), new Daemon.Clock());
        try {
            q.run();
            return Quit.EOF;
        } catch (Quit e) {
            return e.code;
        }
    }

    /**
     * qmail-qmtpd's databytes, a C {@code unsigned int}: {@code control/databytes}, or DATABYTES
     * scanned modulo 2^64 and cut to 32 bits; 4294967295 becomes 4294967294 so that databytes + 1
     * cannot wrap. 0 means no limit.
     */
    static long databytes(int control, String env) {
        long d = control & 0xffffffffL;
        if (env != null) {
            long[] u = new long[1];
            byte[] x = Bytes.ascii(env);
            Scan.ulong(x, 0, x.length, u);
            d = u[0] & 0xffffffffL;
        }
        if (d == 0xffffffffL) {
            d--;
        }
        return d;
    }
}
