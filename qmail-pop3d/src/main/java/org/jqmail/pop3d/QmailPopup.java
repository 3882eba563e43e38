package org.jqmail.pop3d;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import org.jqmail.io.Fds;
import org.jqmail.io.Main;
import org.jqmail.io.ProcSelf;
import org.jqmail.io.SubstdioOut;

/**
 * qmail-popup: reads a POP username and password from the network, then runs a checkpassword
 * program with them.
 *
 * <p>Synopsis: {@code qmail-popup HOSTNAME SUBPROGRAM [ARG...]}, normally
 * {@code tcpserver 0 110 qmail-popup HOSTNAME checkpassword qmail-pop3d Maildir}, as root (the
 * checkpassword program must be able to switch to the user). The client is on fd 0 (read) and
 * fd 1 (write); the subprogram gets them and the login on fd 3 ({@link Popup}, {@link Child}).
 * Every read and write has qmail's 20-minute timeout. With {@code control/servercert.pem}:
 * CAPA and STLS; {@code POP3S} in the environment: TLS from the first byte (port 995);
 * {@code TLSREQUIRED}: USER and PASS only over TLS ({@link PopTls}, doc/POP3.md §6).
 *
 * <p>Exit status: 1, always (qmail's {@code die()}), also after a successful login; nothing
 * reads it. Without HOSTNAME or SUBPROGRAM the client gets
 * {@code -ERR usage: popup hostname subprogram}. No native code, except for the descriptor map
 * when fds 0 and 1 are not one socket ({@link Child}).
 *
 * <p>See also: qmail-popup(8), {@link QmailPop3d}, doc/POP3.md.
 */
public final class QmailPopup {
    private QmailPopup() {
    }

    public static void main(String[] args) {
        Main.guard(1);
        try {
            run(args);
        } catch (Throwable t) {
            Main.failed("qmail-popup", t, 1); // die()
        }
        Main.end(1);
    }

    private static void run(String[] args) throws IOException {
        Deadline deadline = new Deadline(Deadline.POP3_SECONDS, new QmailPop3d.Halt(1));
        OutputStream out = deadline.out(Fds.out(1));
        if (args.length < 2) {
            Popup.err(new SubstdioOut(out, Popup.BUF), Popup.USAGE);
            return;
        }
        byte[] hostname = ProcSelf.args(QmailPopup.class.getName(), args).get(0);
        List<String> sub = Arrays.asList(args).subList(1, args.length);
        byte[] unique = Popup.unique(ProcessHandle.current().pid(), System.currentTimeMillis() / 1000);
        PopTls tls = PopTls.of(org.jqmail.control.Auto.get().home(), System.getenv());
        new Popup(deadline.in(Fds.in(0)), out, hostname, unique, new Child(sub)).tls(tls).run();
    }
}
