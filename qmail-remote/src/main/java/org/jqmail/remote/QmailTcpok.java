package org.jqmail.remote;

import org.jqmail.control.Auto;
import org.jqmail.io.Main;
import org.jqmail.io.Out;

/**
 * qmail-tcpok: clears qmail-remote's timeout table, so that every address is tried again.
 *
 * <p>Synopsis: {@code qmail-tcpok}, no arguments; overwrites {@code queue/lock/tcpto} with 1024
 * zero bytes under the table's lock.
 *
 * <p>Exit codes: 0; 111 after {@code qmail-tcpok: fatal: unable to ...: ERR} on stderr.
 *
 * <p>Locks the table as qmail does ({@code flock}) and as our lean qmail-remote does
 * ({@code fcntl}), so it excludes both.
 *
 * <p>See also: {@code qmail-tcpok(8)}, {@link org.jqmail.remote.TcptoFile} for the lock.
 */
public final class QmailTcpok {
    private QmailTcpok() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        int code;
        try {
            code = TcptoTools.tcpok(Auto.get().home(), new NativeFlock(), Out.stderr());
        } catch (Throwable t) {
            code = Main.failed("qmail-tcpok", t, 111);
        }
        Main.end(code);
    }
}
