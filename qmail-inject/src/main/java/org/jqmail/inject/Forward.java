package org.jqmail.inject;

import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.control.QueueClient;
import org.jqmail.io.LeanUnixSockets;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;

/** {@code forward ADDR ...}: requeues the message (DTLINE first) from NEWSENDER to ADDR; exit 0, 100, 111. */
public final class Forward {
    private Forward() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Forward.class.getName(), a);
    }

    public static void main(String[] a) {
        Main.guard(111);
        // No cryptography here: a cheap start for the socket to qmail-queued.
        LeanUnixSockets.prepare();
        Main.end(Main.run("forward", () -> Helpers.forward(Env.process(), QueueClient.opener(Auto.get()), args(a), Helpers.stdin(), Out.stderr())));
    }
}
