package org.jqmail.inject;

import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.control.QueueClient;
import org.jqmail.io.Exit;
import org.jqmail.io.Fds;
import org.jqmail.io.LeanUnixSockets;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;
import org.jqmail.io.SuppressForbidden;

/**
 * qreceipt: answers delivery notice requests. Used in a {@code .qmail} file as
 * {@code |qreceipt ADDRESS}, next to a line that delivers the message.
 *
 * <p>Reads the message on fd 0 and {@code SENDER} from the environment; without ADDRESS or
 * SENDER: {@code qreceipt: usage: qreceipt deliveryaddress}, exit 100. What it sends and its
 * other exit codes: {@link Receipt}.
 *
 * <p>See also: qreceipt(1), dot-qmail(5).
 */
public final class Qreceipt {
    private Qreceipt() {
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler(new Halt());
        int code;
        try {
            code = run(a);
        } catch (Throwable t) {
            code = 111;
        }
        Exit.now(code);
    }

    private static int run(String[] a) throws java.io.IOException {
        byte[] sender = ProcSelf.environ().get("SENDER");
        if (a.length == 0 || sender == null) {
            return Requeue.say(Out.stderr(), "qreceipt: usage: qreceipt deliveryaddress\n", 100);
        }
        // No cryptography here: a cheap start for the socket to qmail-queued.
        LeanUnixSockets.prepare();
        List<byte[]> args = ProcSelf.args(Qreceipt.class.getName(), a);
        return new Receipt(args.get(0), sender, QueueClient.opener(Auto.get()), Out.stderr()).run(Fds.in(0));
    }

    /** Exits 111 (a named class: no lambda linkage at start-up). */
    private static final class Halt implements Thread.UncaughtExceptionHandler {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
            Exit.now(111);
        }
    }
}
