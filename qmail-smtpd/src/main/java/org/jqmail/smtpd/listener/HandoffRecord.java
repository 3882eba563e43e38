package org.jqmail.smtpd.listener;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqmail.io.Bytes;

/**
 * The record {@code bin/qmail-smtpd} sends with a hand-off (doc/HANDOFF.md), decoded: the
 * word {@link #MAGIC} and a NUL, then one entry per argv word ({@code a}) and per environment
 * variable ({@code e}), each a kind byte, the bytes of the word or of {@code NAME=value}, and
 * a NUL. Strings are the lossless ISO-8859-1 view of those bytes.
 *
 * <p>Synopsis: {@link #parse} throws {@link Bad} for anything else (another magic, a missing
 * final NUL, an unknown kind); the listener then refuses the hand-off. The environment keeps
 * its order; a name that occurs twice keeps its first value, as getenv(3) does, and an
 * entry without {@code =} is left out, as {@link Environ} does with the process's own.
 */
record HandoffRecord(List<String> argv, Map<String, String> env) {
    static final String MAGIC = "jqmail-handoff-1";
    /** The largest record, as the C program's buffer. */
    static final int RECORD_MAX = 65536;

    /** A record that is not a hand-off. */
    static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad(String m) {
            super(m);
        }
    }

    static HandoffRecord parse(byte[] b, int len) throws Bad {
        int m = MAGIC.length();
        if (len < m + 1 || b[m] != 0 || !Bytes.str(b, 0, m).equals(MAGIC)) {
            throw new Bad("not a hand-off record");
        }
        if (b[len - 1] != 0) {
            throw new Bad("unterminated record");
        }
        List<String> argv = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        int i = m + 1;
        while (i < len) {
            byte kind = b[i++];
            if (kind != 'a' && kind != 'e') {
                throw new Bad("unknown entry " + (kind & 0xff));
            }
            // A kind byte is never the final NUL, so this stops at that NUL at the latest.
            int end = i;
            while (b[end] != 0) {
                end++;
            }
            if (kind == 'a') {
                argv.add(Bytes.str(b, i, end - i));
            } else {
                int eq = i;
                while (eq < end && b[eq] != '=') {
                    eq++;
                }
                if (eq > i && eq < end) {
                    env.putIfAbsent(Bytes.str(b, i, eq - i), Bytes.str(b, eq + 1, end - eq - 1));
                }
            }
            i = end + 1;
        }
        return new HandoffRecord(List.copyOf(argv), env);
    }
}
