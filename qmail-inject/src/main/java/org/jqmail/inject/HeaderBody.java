package org.jqmail.inject;

import java.io.IOException;
import org.jqmail.control.Failure;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.SubstdioIn;

/**
 * Splits a message into header fields and body the way qmail's {@code headerbody.c} does.
 *
 * <p>Header fields are handed over one by one, continuation lines (starting with space or TAB)
 * joined, each with its final LF. The header ends at an empty line (which becomes the first
 * body line), or at a line that is not a field: then a blank line is inserted and that line
 * starts the body. A line starting {@code From } becomes the field {@code MBOX-Line: From ...}.
 * If the input ends inside the header there is no body at all. A last line without LF gets
 * one. The body is streamed, never held in memory.
 *
 * <p>Bounds: one field, continuations included, may hold {@code fieldMax} bytes; beyond that
 * {@link TooLong} is thrown (qmail would run out of memory).
 */
final class HeaderBody {
    /** Where the parts go. */
    interface Handler {
        void field(byte[] field) throws Failure;

        void headerDone() throws Failure;

        void body(byte[] b, int off, int n) throws Failure;
    }

    /** A header field longer than the bound. */
    static final class TooLong extends Exception {
        private static final long serialVersionUID = 1L;
    }

    private static final byte[] MBOX = org.jqmail.io.Bytes.ascii("MBOX-Line: ");
    private static final byte[] NL = {'\n'};

    private final SubstdioIn in;
    private final Handler h;
    private final int fieldMax;
    private boolean match = true;

    HeaderBody(SubstdioIn in, Handler h, int fieldMax) {
        this.in = in;
        this.h = h;
        this.fieldMax = fieldMax;
    }

    /** {@code getsa}: the next line with its LF (added if missing), or null at the end. */
    private byte[] nextLine() throws IOException, TooLong {
        if (!match) {
            return null;
        }
        ByteBuf b = new ByteBuf(fieldMax);
        SubstdioIn.Line r = in.getline(b, (byte) '\n', fieldMax - 1);
        switch (r) {
            case TOO_LONG:
                throw new TooLong();
            case EOF:
                match = false;
                return null;
            case PARTIAL:
                match = false;
                break;
            default:
                break;
        }
        b.append('\n');
        return b.toByteArray();
    }

    void run() throws IOException, TooLong, Failure {
        byte[] field = null;
        for (;;) {
            byte[] next = nextLine();
            if (next == null) {
                if (field != null) {
                    h.field(field);
                }
                h.headerDone();
                return;
            }
            if (field != null) {
                if (next[0] == ' ' || next[0] == '\t') {
                    if ((long) field.length + next.length > fieldMax) {
                        throw new TooLong();
                    }
                    field = org.jqmail.io.Bytes.concat(field, next);
                    continue;
                }
                h.field(field);
            }
            if (next.length == 1) {
                h.headerDone();
                h.body(next, 0, 1);
                break;
            }
            if (startsWithFrom(next)) {
                field = org.jqmail.io.Bytes.concat(MBOX, next);
            } else if (HeaderField.valid(next, next.length)) {
                field = next;
            } else {
                h.headerDone();
                h.body(NL, 0, 1);
                h.body(next, 0, next.length);
                break;
            }
        }
        copyBody();
    }

    private static boolean startsWithFrom(byte[] s) {
        return s.length >= 5 && s[0] == 'F' && s[1] == 'r' && s[2] == 'o' && s[3] == 'm' && s[4] == ' ';
    }

    private void copyBody() throws IOException, Failure {
        if (!match) {
            return;
        }
        byte[] b = new byte[8192];
        byte last = '\n';
        int n;
        while ((n = in.read(b, 0, b.length)) > 0) {
            h.body(b, 0, n);
            last = b[n - 1];
        }
        if (last != '\n') {
            h.body(NL, 0, 1);
        }
    }
}
