package org.jqmail.queue;

import org.jqmail.control.Auto;
import org.jqmail.io.HeapTrim;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.nat.Nat;

/**
 * qmail-queued: the queue server, the only writer of {@code queue/pid}, {@code mess},
 * {@code intd} and {@code todo} ({@code doc/ARCHITECTURE.md} §3). It accepts submissions from
 * {@code bin/qmail-queue} and the Java client library on the Unix-domain socket
 * {@code QMAILHOME/sock/qmail-queue} and performs qmail-queue's queue sequence for each.
 *
 * <p>Synopsis: {@code qmail-queued [-c users] [-u peruser] [-C pertrusted] [-s start] [-i stall]
 * [-t seconds]} (see {@link Queued}); started as
 * root or as qmailq; runs until killed.
 *
 * <p>Exit codes: 111 on any start-up failure, with {@code qmail-queued: fatal: ...} on stderr.
 *
 * <p>See also: qmail-queue(8), {@code doc/PROTOCOLS.md} §2, {@code doc/SECURITY.md} §1.
 */
public final class QmailQueued {
    private QmailQueued() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        HeapTrim.start();
        try {
            Queued q = new Queued(Auto.get(), Nat.posix());
            q.args(args);
            q.run();
        } catch (Queued.Fatal e) {
            Out.err("qmail-queued: fatal: " + e.getMessage() + "\n");
        } catch (Throwable t) {
            Out.err("qmail-queued: fatal: " + t + "\n");
        }
        Main.end(111);
    }
}
