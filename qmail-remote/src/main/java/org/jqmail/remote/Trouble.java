package org.jqmail.remote;

import org.jqmail.control.Failure;
import org.jqmail.control.PermFail;
import org.jqmail.control.TempFail;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;

/**
 * qmail-remote's whole failure vocabulary (qmail-remote(8)), copied from {@code qmail-remote.c}.
 * Texts that name the connected address or carry the remote reply are assembled by
 * {@link Smtp}; the fixed ones live here.
 */
public final class Trouble {
    /** The report of a run with too few arguments: the whole of qmail-remote's output. */
    static final byte[] USAGE = Bytes.ascii("DI (qmail-remote) was invoked improperly. (#5.3.5)\n\0");
    /** The report of a bug (an unexpected throwable in {@code main}): a deferral. */
    static final byte[] BUG = Bytes.ascii("ZInternal error in qmail-remote. (#4.3.0)\n\0");

    private Trouble() {
    }

    private static TempFail temp(String s) {
        return new TempFail(Bytes.ascii(s));
    }

    private static PermFail perm(String s) {
        return new PermFail(Bytes.ascii(s));
    }

    public static TempFail tempNomem() {
        return temp("Out of memory. (#4.3.0)\n");
    }

    public static TempFail tempOserr() {
        return temp("System resources temporarily unavailable. (#4.3.0)\n");
    }

    public static TempFail tempNoconn() {
        return temp("Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n");
    }

    public static TempFail tempRead() {
        return temp("Unable to read message. (#4.3.0)\n");
    }

    public static TempFail tempDns() {
        return temp("Sorry, I couldn't find any host by that name. (#4.1.2)\n");
    }

    public static TempFail tempChdir() {
        return temp("Unable to switch to home directory. (#4.3.0)\n");
    }

    public static TempFail tempControl() {
        return temp("Unable to read control files. (#4.3.0)\n");
    }

    /** Not in qmail: a TLS control file that cannot be used (doc/TLS.md §5). */
    public static TempFail tempTls(Exception e) {
        StringBuilder b = new StringBuilder();
        String m = String.valueOf(e.getMessage());
        for (int i = 0; i < m.length() && i < 200; i++) {
            char c = m.charAt(i);
            b.append(c >= 32 && c < 127 ? c : '?');
        }
        return temp("Unable to read TLS control files: " + b + " (#4.3.0)\n");
    }

    /**
     * Not in qmail: a bug in this implementation (an unexpected exception) defers the mail
     * instead of bouncing it (doc/CODING.md §1).
     */
    public static TempFail tempBug() {
        return temp("Internal error in qmail-remote. (#4.3.0)\n");
    }

    public static PermFail permPartialline() {
        return perm("SMTP cannot transfer messages with partial final lines. (#5.6.2)\n");
    }

    public static PermFail permUsage() {
        return perm("I (qmail-remote) was invoked improperly. (#5.3.5)\n");
    }

    /** {@code perm_dns}: the host name is printed with bytes outside 33..126 as {@code ?}. */
    public static PermFail permDns(byte[] host) {
        ByteBuf b = new ByteBuf(host.length + 64);
        b.append("Sorry, I couldn't find any host named ");
        Reports.appendSafe(b, host);
        b.append(". (#5.1.2)\n");
        return new PermFail(b.toByteArray());
    }

    public static PermFail permNomx() {
        return perm("Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)\n");
    }

    public static PermFail permAmbigmx() {
        return perm("Sorry. Although I'm listed as a best-preference MX or A for that host,\n"
                + "it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)\n");
    }

    /** A failure with a text built elsewhere ({@link Smtp}'s {@code quit} and {@code dropped}). */
    static Failure of(byte letter, byte[] text) {
        return letter == 'D' ? new PermFail(text) : new TempFail(text);
    }
}
