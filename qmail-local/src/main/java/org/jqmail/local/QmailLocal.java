package org.jqmail.local;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.QueueClient;
import org.jqmail.io.LeanUnixSockets;
import org.jqmail.io.Main;
import org.jqmail.io.Out;

/**
 * qmail-local: deliver or forward one message to one local address according to the user's
 * {@code .qmail} file (qmail-local(8)).
 *
 * <p>Synopsis: {@code qmail-local [ -nN ] user homedir local dash ext domain sender
 * defaultdelivery}, as qmail-lspawn runs it, already as the recipient's uid and gid. fd 0: the
 * message, a seekable regular file. fd 1 and fd 2: the delivery report text (the {@code did}
 * line, {@code -n} listings, failure texts, programs' output). {@code -n} prints the
 * instructions instead of executing them.
 *
 * <p>Exit codes: 0 delivered, 100 permanent failure (bounce), 111 temporary failure (retry),
 * and never anything else: every unexpected throwable, even an uncaught one in another
 * thread, ends in 111, because qmail-lspawn reads any unknown code as permanent.
 *
 * <p>Lean (doc/ARCHITECTURE.md §2): no native code on its path, except the {@code $QMAILQUEUE}
 * spawn of a forward inside control's {@code QueueClient}.
 *
 * <p>See also: qmail-local(8), {@link QmailLocalWorker}, {@link Delivery}.
 */
public final class QmailLocal {
    private static final int TEMP = Delivery.EXIT_TEMP;

    private QmailLocal() {
    }

    public static void main(String[] args) {
        Main.guard(TEMP);
        // No cryptography here: a cheap start for the socket to qmail-queued.
        LeanUnixSockets.prepare();
        int code;
        try {
            List<byte[]> argv = new ArrayList<>(args.length);
            for (String a : args) {
                argv.add(Jnu.bytes(a));
            }
            Sys sys = Sys.REAL;
            Delivery.Services svc = new Delivery.Services(sys, Uniq.standalone(sys), QueueClient.opener(),
                    Paths.get(System.getProperty("java.io.tmpdir")));
            code = new Delivery(svc).run(argv, Fd0Message.std(), null, FdOutput.std());
        } catch (Throwable t) {
            code = Main.failed(Out.stderr(), Trouble.INTERNAL, TEMP);
        }
        if (code != Delivery.EXIT_OK && code != Delivery.EXIT_PERM) {
            code = TEMP;
        }
        Main.end(code);
    }
}
