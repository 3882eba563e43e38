package org.jqmail.control;

import org.jqmail.io.Bytes;

/**
 * Why a program stops short of success: a temporary ({@link TempFail}) or a permanent
 * ({@link PermFail}) failure carrying qmail's exact text (doc/CODING.md §1). One type for every
 * program whose failure is one of these two: each maps it to its own channel, qmail-local and
 * qmail-inject to exit 111 or 100 ({@link #exitCode()}), qmail-remote to a {@code Z} or
 * {@code D} report ({@link #letter()}).
 *
 * <p>Instances are made only by the factories of the program's {@code Trouble} class, which is
 * its whole failure vocabulary. What the text holds (with or without a final newline) is that
 * program's convention, said in its {@code Trouble}. Failures carry no stack trace: they are
 * outcomes, not bugs.
 */
public abstract sealed class Failure extends Exception permits TempFail, PermFail {
    private static final long serialVersionUID = 1L;
    private final transient byte[] text;

    Failure(byte[] text) {
        super(null, null, false, false);
        this.text = text;
    }

    /** qmail's text, as the program's {@code Trouble} made it; may be empty. */
    public final byte[] text() {
        return text.clone();
    }

    /** True for a permanent failure. */
    public abstract boolean permanent();

    /** The exit code of qmail-local and qmail-inject: 100 permanent, 111 temporary. */
    public final int exitCode() {
        return permanent() ? 100 : 111;
    }

    /** The report letter of qmail-remote and the spawners: {@code D} permanent, {@code Z} temporary. */
    public final byte letter() {
        return permanent() ? (byte) 'D' : (byte) 'Z';
    }

    @Override
    public final String getMessage() {
        return Bytes.str(text);
    }
}
