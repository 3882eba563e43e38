package org.jqmail.local;

import org.jqmail.control.Failure;
import org.jqmail.control.PermFail;
import org.jqmail.control.TempFail;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;

/**
 * qmail-local's whole failure vocabulary (qmail-local(8)), copied from {@code qmail-local.c}: every
 * text it can print and the exit code that goes with it. ERR is qmail's {@code error_str} text for
 * the errno behind an exception ({@link Errors#str(Throwable)}).
 *
 * <p>See also: qmail-local(8), {@code qmail-local.c}.
 */
final class Trouble {
    /** Printed on fd 2 before the usage text for an unknown option, as {@code sgetopt} does. */
    static final String PROGNAME = "qmail-local";
    /** What a bug (an unexpected throwable in {@code main}) says before exit 111. */
    static final byte[] INTERNAL = Bytes.ascii("Unable to deliver: internal error in qmail-local. (#4.3.0)\n");
    /** Printed with {@code -n} instead of failing on a sticky home. */
    static final byte[] STICKY_WARNING = Bytes.ascii("Warning: home directory is sticky.");

    private Trouble() {
    }

    private static TempFail temp(Object... parts) {
        return new TempFail(join(parts));
    }

    private static PermFail perm(Object... parts) {
        return new PermFail(join(parts));
    }

    private static byte[] join(Object... parts) {
        byte[][] b = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            Object p = parts[i];
            if (p instanceof byte[]) {
                b[i] = (byte[]) p;
            } else if (p instanceof Throwable) {
                b[i] = Bytes.ascii(Errors.str((Throwable) p));
            } else {
                b[i] = Bytes.ascii((String) p);
            }
        }
        return Bytes.concat(b);
    }

    static PermFail usage() {
        return perm(PROGNAME, ": usage: qmail-local [ -nN ] user homedir local dash ext domain sender aliasempty");
    }

    static TempFail nomem() {
        return temp("Out of memory. (#4.3.0)");
    }

    static TempFail rewind() {
        return temp("Unable to rewind message. (#4.3.0)");
    }

    static TempFail childCrashed() {
        return temp("Aack, child crashed. (#4.3.0)");
    }

    static TempFail fork(Throwable e) {
        return temp("Unable to fork: ", e, ". (#4.3.0)");
    }

    static TempFail read(Throwable e) {
        return temp("Unable to read message: ", e, ". (#4.3.0)");
    }

    static TempFail slowLock() {
        return temp("File has been locked for 30 seconds straight. (#4.3.0)");
    }

    /** {@code temp_qmail}: a {@code .qmail} file that could not be opened or stat()ed. */
    static TempFail qmail(byte[] fn, Throwable e) {
        return temp("Unable to open ", fn, ": ", e, ". (#4.3.0)");
    }

    static TempFail switchHome(byte[] homedir, Throwable e) {
        return temp("Unable to switch to ", homedir, ": ", e, ". (#4.3.0)");
    }

    static TempFail statHome(Throwable e) {
        return temp("Unable to stat home directory: ", e, ". (#4.3.0)");
    }

    static TempFail homeWritable() {
        return temp("Uh-oh: home directory is writable. (#4.7.0)");
    }

    static TempFail homeSticky() {
        return temp("Home directory is sticky: user is editing his .qmail file. (#4.2.1)");
    }

    static PermFail looping() {
        return perm("This message is looping: it already has my Delivered-To line. (#5.4.6)");
    }

    static TempFail qmailWritable() {
        return temp("Uh-oh: .qmail file is writable. (#4.7.0)");
    }

    static PermFail noMailbox() {
        return perm("Sorry, no mailbox here by that name. (#5.1.1)");
    }

    static TempFail firstLineBlank() {
        return temp("Uh-oh: first line of .qmail file is blank. (#4.2.1)");
    }

    static TempFail fileButX() {
        return temp("Uh-oh: .qmail has file delivery but has x bit set. (#4.7.0)");
    }

    static TempFail progButX() {
        return temp("Uh-oh: .qmail has prog delivery but has x bit set. (#4.7.0)");
    }

    /** The shell could not be executed ({@code execv} failed in the child). */
    static TempFail runSh(Throwable e) {
        return temp("Unable to run /bin/sh: ", e, ". (#4.3.0)");
    }

    static TempFail runSh(int errno) {
        return temp("Unable to run /bin/sh: ", Errors.str(errno), ". (#4.3.0)");
    }

    /** A program exited with one of the permanent codes: exit 100, no text of our own. */
    static PermFail programPerm() {
        return perm();
    }

    /** A program exited with another non-zero code: exit 111, no text of our own. */
    static TempFail programTemp() {
        return temp();
    }

    static TempFail maildirChdir() {
        return temp("Unable to chdir to maildir. (#4.2.1)");
    }

    static TempFail maildirTimeout() {
        return temp("Timeout on maildir delivery. (#4.3.0)");
    }

    static TempFail maildirRead() {
        return temp("Unable to read message. (#4.3.0)");
    }

    static TempFail maildirTemp() {
        return temp("Temporary error on maildir delivery. (#4.3.0)");
    }

    static TempFail mboxOpen(byte[] fn, Throwable e) {
        return temp("Unable to open ", fn, ": ", e, ". (#4.2.1)");
    }

    static TempFail mboxWrite(byte[] fn, Throwable e) {
        return temp("Unable to write ", fn, ": ", e, ". (#4.3.0)");
    }

    /**
     * The queue refused the forward: {@code status} is qmail_close's string ({@code D} or
     * {@code Z} first); permanent for {@code D}.
     */
    static Failure forward(String status) {
        byte[] text = join("Unable to forward message: ", Bytes.ascii(status.substring(1)), ".");
        return status.charAt(0) == 'D' ? new PermFail(text) : new TempFail(text);
    }

    /**
     * Not qmail's: a bug in this program (an unexpected Java exception). Temporary, because
     * deferring is recoverable and bouncing is not (doc/CODING.md §1).
     */
    static TempFail internal() {
        return temp("Unable to deliver: internal error in qmail-local. (#4.3.0)");
    }
}
