package org.jqmail.pop3d;

import java.io.IOException;
import java.util.Arrays;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;

/**
 * The command lines of qmail-popup and qmail-pop3d, split as qmail's {@code commands.c} splits
 * them: a line ends at LF, one CR before it is dropped, a NUL ends the line early (the C code
 * handles it as a C string), the verb runs up to the first space and the argument starts after
 * every space that follows it. Verbs compare without regard to ASCII case.
 *
 * <p>Synopsis: {@link #read} takes the next line from the client; {@link #parse} splits any
 * line and is what a fuzz target calls.
 *
 * <p>Bounds: qmail reads a command line of any length into memory. Here a line longer than
 * {@link #LINE_MAX} bytes (LF excluded) is {@link TooLong}, which both programs answer as
 * qmail answers running out of memory ({@code -ERR out of memory}, then the session ends);
 * shorter lines behave exactly as in qmail.
 *
 * <p>See also: commands.c, doc/POP3.md.
 */
public final class Commands {
    /** Longest command line, LF excluded (CR included), as qmail-smtpd's. */
    public static final int LINE_MAX = 64 * 1024;

    private Commands() {
    }

    /** A line longer than {@link #LINE_MAX}. */
    public static final class TooLong extends IOException {
        private static final long serialVersionUID = 1L;

        TooLong() {
            super("command line longer than " + LINE_MAX + " bytes");
        }
    }

    /** One command: the verb as sent and the argument (empty if none). */
    public record Command(byte[] verb, byte[] arg) {
        /** True if the verb is {@code lower} (lowercase ASCII) in any case. */
        public boolean is(String lower) {
            return Bytes.equalsIgnoreCase(verb, Bytes.ascii(lower));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Command c && Arrays.equals(verb, c.verb) && Arrays.equals(arg, c.arg);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(verb) + Arrays.hashCode(arg);
        }

        @Override
        public String toString() {
            return Bytes.str(verb) + "|" + Bytes.str(arg);
        }
    }

    /** Splits {@code s[0..len)}, one line without its LF. */
    public static Command parse(byte[] s, int len) {
        if (len > 0 && s[len - 1] == '\r') {
            len--;
        }
        for (int i = 0; i < len; i++) {
            if (s[i] == 0) {
                len = i;
                break;
            }
        }
        int sp = 0;
        while (sp < len && s[sp] != ' ') {
            sp++;
        }
        int arg = sp;
        while (arg < len && s[arg] == ' ') {
            arg++;
        }
        return new Command(Arrays.copyOf(s, sp), Arrays.copyOfRange(s, arg, len));
    }

    /** {@link #parse(byte[], int)} of a whole array. */
    public static Command parse(byte[] line) {
        return parse(line, line.length);
    }

    /**
     * The next command from {@code in}, or null when input ends (a last line without LF is
     * dropped, as {@code commands()} drops it). {@code line} is the caller's scratch buffer.
     */
    static Command read(SubstdioIn in, ByteBuf line) throws IOException {
        line.clear();
        SubstdioIn.Line r = in.getline(line, (byte) '\n', LINE_MAX);
        if (r == SubstdioIn.Line.TOO_LONG) {
            throw new TooLong();
        }
        if (r != SubstdioIn.Line.LINE) {
            return null;
        }
        return parse(line.array(), line.length());
    }
}
