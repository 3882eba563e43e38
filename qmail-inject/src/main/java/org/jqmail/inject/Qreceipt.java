package org.jqmail.inject;

import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.control.QueueClient;
import org.jqmail.io.Fds;
import org.jqmail.io.LeanUnixSockets;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;

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

    public static void main(String[] a) {
        Main.guard(111);
        int code;
        try {
            code = run(a);
        } catch (Throwable t) {
            code = Main.failed("qreceipt", t, 111);
        }
        Main.end(code);
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

}
