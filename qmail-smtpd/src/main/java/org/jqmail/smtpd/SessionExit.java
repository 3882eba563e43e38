package org.jqmail.smtpd;

import java.io.IOException;

/**
 * The end of a session with qmail-smtpd's exit status: 0 after QUIT, 1 after a read error,
 * end of input, a timeout or a fatal reply. Thrown from wherever qmail-smtpd calls
 * {@code _exit}, caught by the session's run loop; it is an {@link IOException} so it passes
 * through the stream layers unchanged.
 */
final class SessionExit extends IOException {
    private static final long serialVersionUID = 1L;
    private final int code;

    SessionExit(int code) {
        super("exit " + code, null);
        this.code = code;
    }

    int code() {
        return code;
    }

    /** No stack trace: it is control flow (every session ends with one), never printed. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
