package org.jqmail.local;

/**
 * Why a qmail-local run stops early: a temporary ({@link TempFail}, exit 111) or permanent
 * ({@link PermFail}, exit 100) failure carrying qmail's exact text (doc/CODING.md §1).
 *
 * <p>The text is printed on fd 2 followed by a newline, as {@code strerr_die} does; an empty
 * text prints nothing (a program that exits 100 or 111 has already said why). Instances are
 * made only by {@link Trouble}. They carry no stack trace: they are outcomes, not bugs.
 */
abstract sealed class Failure extends Exception permits TempFail, PermFail {
    private static final long serialVersionUID = 1L;
    private final transient byte[] text;

    Failure(byte[] text) {
        super(null, null, false, false);
        this.text = text;
    }

    /** qmail's text without the final newline; may be empty. */
    final byte[] text() {
        return text.clone();
    }

    /** The exit code: 111 or 100. */
    abstract int exitCode();

    @Override
    public final String getMessage() {
        return org.jqmail.io.Bytes.str(text);
    }
}
