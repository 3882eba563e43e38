package org.jqmail.remote;

import org.jqmail.control.Auto;
import org.jqmail.io.Main;
import org.jqmail.io.Out;

/**
 * qmail-tcpto: prints the addresses in qmail-remote's timeout table.
 *
 * <p>Synopsis: {@code qmail-tcpto}, no arguments. For each record with a count of at least 1:
 * {@code IP timed out SECONDS seconds ago; # recent timeouts: COUNT} on stdout.
 *
 * <p>Exit codes: 0; 111 after {@code fatal: unable to chdir|open tcpto|lock tcpto|read tcpto:
 * ERR} (printed on stdout, as qmail does).
 *
 * <p>Locks the table as qmail does ({@code flock}) and as our lean qmail-remote does
 * ({@code fcntl}), so it excludes both.
 *
 * <p>See also: {@code qmail-tcpto(8)}, {@link org.jqmail.remote.TcptoFile} for the lock.
 */
public final class QmailTcpto {
    private QmailTcpto() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        int code;
        try {
            code = TcptoTools.tcpto(Auto.get().home(), new NativeFlock(), System.currentTimeMillis() / 1000, Out.stdout());
        } catch (Throwable t) {
            code = Main.failed("qmail-tcpto", t, 111);
        }
        Main.end(code);
    }
}
