package org.jqmail.control;

import java.io.IOException;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.SubstdioIn;

/**
 * Reads NUL-terminated records ("text0"), the format of queue envelope files
 * ({@code u}, {@code p}, {@code F}, {@code T} records), channel files ({@code T}/{@code D}),
 * spawn commands and qmail-remote's reports.
 */
public final class Text0 {
    /** Outcome of {@link #next}. */
    public enum Status { RECORD, EOF, PARTIAL, TOO_LONG }

    private final SubstdioIn in;
    private final int max;

    /** Records of at most {@code max} bytes each. */
    public Text0(SubstdioIn in, int max) {
        this.in = in;
        this.max = max;
    }

    /** Reads the next record into {@code rec} (cleared first), without its NUL. */
    public Status next(ByteBuf rec) throws IOException {
        rec.clear();
        switch (in.getline(rec, (byte) 0, max)) {
            case LINE:
                return Status.RECORD;
            case EOF:
                return Status.EOF;
            case PARTIAL:
                return Status.PARTIAL;
            default:
                return Status.TOO_LONG;
        }
    }
}
