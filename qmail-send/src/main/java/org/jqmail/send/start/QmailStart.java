package org.jqmail.send.start;

import java.util.Arrays;
import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.nat.Nat;

/**
 * qmail-start: starts the delivery daemons and becomes qmail-send (qmail-start(8)).
 *
 * <p>Synopsis: {@code qmail-start [DEFAULTDELIVERY [LOGGER ARG...]]}, run as root (normally
 * {@code exec env - PATH="QMAILHOME/bin:$PATH" qmail-start ./Maildir/ splogger qmail}).
 * DEFAULTDELIVERY (default {@code ./Mailbox}) is passed to qmail-lspawn; the optional logger
 * reads qmail-send's log on its stdin as qmaill. On success the process is qmail-send; any
 * failure exits 111.
 *
 * <p>See also: {@code qmail-start(8)}.
 */
public final class QmailStart {
    private QmailStart() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        try {
            String dd = args.length > 0 ? args[0] : "./Mailbox";
            List<String> logger = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of();
            new Start(Nat.posix(), Auto.get(), System.getenv("PATH")).run(dd, logger);
        } catch (Throwable t) {
            Out.err("qmail-start: fatal: " + t.getMessage() + "\n");
        }
        Main.end(111);
    }
}
