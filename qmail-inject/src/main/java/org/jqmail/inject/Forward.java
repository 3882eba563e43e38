package org.jqmail.inject;

import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.control.QueueClient;
import org.jqmail.io.Exit;
import org.jqmail.io.Guard;
import org.jqmail.io.LeanUnixSockets;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;
import org.jqmail.io.SuppressForbidden;

/** {@code forward ADDR ...}: requeues the message (DTLINE first) from NEWSENDER to ADDR; exit 0, 100, 111. */
public final class Forward {
    private Forward() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Forward.class.getName(), a);
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        // No cryptography here: a cheap start for the socket to qmail-queued.
        LeanUnixSockets.prepare();
        Exit.now(Guard.run("forward", () -> Helpers.forward(Env.process(), QueueClient.opener(Auto.get()), args(a), Helpers.stdin(), Out.stderr())));
    }
}
