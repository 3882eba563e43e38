package org.jqmail.inject;

import org.jqmail.control.Failure;
import org.jqmail.control.PermFail;
import org.jqmail.control.TempFail;
import org.jqmail.io.Bytes;

/**
 * qmail-inject's whole failure vocabulary (qmail-inject(8)), as {@code qmail-inject.c} prints it.
 */
final class Trouble {
    private static final String FATAL = "qmail-inject: fatal: ";

    private Trouble() {
    }

    private static byte[] fatal(String text) {
        return Bytes.ascii(FATAL + text);
    }

    static TempFail nomem() {
        return new TempFail(fatal("out of memory\n"));
    }

    static PermFail invalid(byte[] field) {
        return new PermFail(Bytes.concat(fatal("invalid header field: "), field));
    }

    static TempFail qqt() {
        return new TempFail(fatal("unable to run qmail-queue\n"));
    }

    /** QMAILHOME is not reachable ({@code die_chdir}). */
    static TempFail chdir() {
        return bug();
    }

    /** A bug in this program (an unexpected throwable in {@code main}). */
    static TempFail bug() {
        return new TempFail(fatal("internal bug\n"));
    }

    static TempFail read() {
        return new TempFail(fatal("read error\n"));
    }

    /** A header line (with its LF) or a {@code -f} value (without) that cannot be parsed. */
    static PermFail parseLine(byte[] line) {
        return new PermFail(Bytes.concat(fatal("unable to parse this line:\n"), line));
    }

    static PermFail parseAddress(byte[] arg) {
        return new PermFail(Bytes.concat(fatal("unable to parse address: "), arg, new byte[] {'\n'}));
    }

    /** qmail-queue's status string ({@code D...} permanent, {@code Z...} temporary). */
    static Failure qq(String status) {
        byte[] t = Bytes.concat(fatal(status.substring(1)), new byte[] {'\n'});
        return status.charAt(0) == 'D' ? new PermFail(t) : new TempFail(t);
    }

    /** A bad option: getopt has already said so. */
    static PermFail usage() {
        return new PermFail(new byte[0]);
    }
}
