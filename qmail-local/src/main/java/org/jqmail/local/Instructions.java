package org.jqmail.local;

import java.util.ArrayList;
import java.util.List;
import org.jqmail.io.Bytes;

/**
 * The lines of a {@code .qmail} file (dot-qmail(5)), classified but not judged: the forward-only
 * rules and the blank-first-line error are applied in order by the caller, because earlier
 * deliveries happen before a later line fails.
 *
 * <p>A final {@code \n} is added if missing; each line loses its trailing spaces and TABs (never
 * beyond its first byte: the netqmail 1.04 fix). Then the first byte decides: empty
 * or NUL → {@link Kind#BLANK} (an error on line 1, ignored later), {@code #} → comment,
 * {@code .} or {@code /} → file (Maildir if the trimmed line ends in {@code /}, else mbox),
 * {@code |} → program, {@code +list} → forward-only from here on, other {@code +} lines →
 * ignored, {@code &} → forward to the rest, anything else → forward to the whole line.
 *
 * <p>As in qmail, an instruction's argument is a C string (it ends at a NUL byte inside the
 * line) while the {@code -n} listing prints the whole trimmed text.
 */
final class Instructions {
    /** What a line asks for. */
    enum Kind { BLANK, COMMENT, IGNORED, LIST, MAILDIR, MBOX, PROGRAM, FORWARD }

    /**
     * One line: {@code first} is true for line 1; {@code shown} is what {@code -n} prints after
     * the kind's word; {@code arg} is what is executed.
     */
    record Line(Kind kind, boolean first, byte[] shown, byte[] arg) {
    }

    private Instructions() {
    }

    static List<Line> parse(byte[] cmds) {
        List<Line> r = new ArrayList<>();
        int i = 0;
        int n = cmds.length;
        for (int j = 0; j <= n; j++) {
            boolean end = j == n;
            if (!end && cmds[j] != '\n') {
                continue;
            }
            if (end && i == n) {
                break;
            }
            int k = j;
            while (k > i && (cmds[k - 1] == ' ' || cmds[k - 1] == '\t')) {
                k--;
            }
            r.add(line(cmds, i, k, i == 0));
            i = j + 1;
        }
        return r;
    }

    private static Line line(byte[] c, int i, int k, boolean first) {
        byte b = k > i ? c[i] : 0;
        switch (b) {
            case 0:
                return new Line(Kind.BLANK, first, new byte[0], new byte[0]);
            case '#':
                return new Line(Kind.COMMENT, first, Bytes.sub(c, i, k), new byte[0]);
            case '.':
            case '/':
                return new Line(c[k - 1] == '/' ? Kind.MAILDIR : Kind.MBOX, first, Bytes.sub(c, i, k),
                        cstr(c, i, k));
            case '|':
                return new Line(Kind.PROGRAM, first, Bytes.sub(c, i + 1, k), cstr(c, i + 1, k));
            case '+':
                boolean list = Bytes.str(cstr(c, i + 1, k)).equals("list");
                return new Line(list ? Kind.LIST : Kind.IGNORED, first, Bytes.sub(c, i, k), new byte[0]);
            case '&':
                return new Line(Kind.FORWARD, first, Bytes.sub(c, i + 1, k), cstr(c, i + 1, k));
            default:
                return new Line(Kind.FORWARD, first, Bytes.sub(c, i, k), cstr(c, i, k));
        }
    }

    private static byte[] cstr(byte[] c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (c[i] == 0) {
                return Bytes.sub(c, from, i);
            }
        }
        return Bytes.sub(c, from, to);
    }
}
