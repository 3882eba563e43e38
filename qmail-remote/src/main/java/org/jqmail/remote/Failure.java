package org.jqmail.remote;

/**
 * A message-level outcome other than success: the report letter ({@code Z} or {@code D}) and
 * the text qmail-remote prints after it, exactly (including the final newline and any
 * {@code Remote host said:} lines). Built only by {@link Trouble}.
 */
public sealed abstract class Failure extends Exception permits TempFail, PermFail {
    private static final long serialVersionUID = 1L;
    private final byte[] text;

    Failure(byte[] text) {
        super(null, null, false, false);
        this.text = text;
    }

    /** {@code Z} or {@code D}. */
    public abstract byte letter();

    /** The report text after the letter. */
    public byte[] text() {
        return text.clone();
    }

    @Override
    public String getMessage() {
        return (char) letter() + org.jqmail.io.Bytes.str(text);
    }
}
