package org.jqmail.inject;

import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.control.QueueClient;
import org.jqmail.io.LeanUnixSockets;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;

/** {@code condredirect NEWADDR PROG [ARG ...]}: redirects the message to NEWADDR (exit 99) if PROG exits 0. */
public final class Condredirect {
    private Condredirect() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Condredirect.class.getName(), a);
    }

    public static void main(String[] a) {
        Main.guard(111);
        // No cryptography here: a cheap start for the socket to qmail-queued.
        LeanUnixSockets.prepare();
        Main.end(Main.run("condredirect", () -> Helpers.condredirect(Env.process(), QueueClient.opener(Auto.get()), args(a), Helpers.stdin(), Out.stderr())));
    }
}
