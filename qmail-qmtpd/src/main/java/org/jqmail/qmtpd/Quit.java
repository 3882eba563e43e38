package org.jqmail.qmtpd;

import java.io.IOException;

/**
 * The end of a qmail-qmtpd or qmail-qmqpd session, with the process's exit status: 0 when the
 * client closed the connection or a read or write failed ({@code saferead}, {@code safewrite}),
 * 100 for a protocol violation ({@code badproto}), 111 for a lack of resources
 * ({@code resources}: a length over qmail's cap, the queue not starting, a control file).
 */
final class Quit extends IOException {
    private static final long serialVersionUID = 1L;

    static final int EOF = 0;
    static final int BADPROTO = 100;
    static final int RESOURCES = 111;

    final int code;

    /** No stack trace: a Quit is an outcome, not a fault. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    Quit(int code) {
        super("exit " + code);
        this.code = code;
    }
}
