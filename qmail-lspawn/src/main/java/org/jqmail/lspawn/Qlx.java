package org.jqmail.lspawn;

/**
 * A user lookup or set-up step ended the way qmail-lspawn's child would have ended with
 * {@code _exit(code)} before running qmail-local: one of the {@code qlx.h} codes (or an exit
 * code passed through from qmail-getpw). {@code Report.lspawn} turns it into the report text.
 */
final class Qlx extends Exception {
    private static final long serialVersionUID = 1L;
    private final int code;

    Qlx(int code) {
        super("qlx " + code, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }
}
