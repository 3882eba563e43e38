package org.jqmail.inject;

/**
 * A fatal condition of one of this module's programs: the exact text it prints on stderr (with
 * its final LF, or empty) and whether it is temporary (exit 111) or permanent (exit 100).
 * Built only through the named factories of {@link Trouble} and the helpers' own classes.
 */
abstract sealed class Failure extends Exception permits TempFail, PermFail {
    private static final long serialVersionUID = 1L;

    private final transient byte[] text;

    Failure(byte[] text) {
        super(null, null, false, false);
        this.text = text;
    }

    /** What to print on stderr. */
    byte[] text() {
        return text;
    }

    /** The exit code. */
    abstract int exitCode();
}
