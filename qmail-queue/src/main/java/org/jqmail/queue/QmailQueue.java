package org.jqmail.queue;

import java.io.OutputStream;
import org.jqmail.control.Auto;
import org.jqmail.control.QueueExit;
import org.jqmail.io.Fds;
import org.jqmail.io.LeanUnixSockets;
import org.jqmail.io.Main;

/**
 * qmail-queue: queues a mail message for delivery. The thin client of qmail-queued.
 *
 * <p>Synopsis: {@code qmail-queue}, message on fd 0, envelope ({@code F}sender{@code \0}
 * ({@code T}recipient{@code \0})* {@code \0}) read from fd 1, optional error channel fd 6.
 *
 * <p>Exit codes: those of qmail-queue(8): 0 queued; 11 address too long; 54 input
 * unreadable; 73/74 qmail-queued unreachable or gone; 81 internal bug; 91 envelope format
 * error; anything qmail-queued answers. The uid recorded is the caller's, as the kernel tells
 * qmail-queued. Loads no native code.
 *
 * <p>See also: qmail-queue(8), {@link Submit}, doc/ARCHITECTURE.md §3.
 */
public final class QmailQueue {
    private QmailQueue() {
    }

    public static void main(String[] args) {
        Main.guard(QueueExit.BUG.code());
        // No cryptography here: a cheap start for the socket to qmail-queued.
        LeanUnixSockets.prepare();
        int code;
        try {
            Submit.Outcome o = Submit.run(Auto.get().queueSocket(), ProcessHandle.current().pid(),
                    Fds.in(0), Fds.in(1));
            if (o.text() != null && Fds.isOpen(6)) {
                try (OutputStream fd6 = Fds.out(6)) {
                    Submit.writeText(o, fd6);
                }
            }
            code = o.code();
        } catch (Throwable t) {
            code = Main.failed("qmail-queue", t, QueueExit.BUG.code());
        }
        Main.end(code);
    }
}
