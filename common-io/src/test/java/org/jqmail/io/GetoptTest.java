package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** sgetopt's rules, including its complaints. */
class GetoptTest {
    private static List<byte[]> args(String... a) {
        List<byte[]> l = new ArrayList<>();
        for (String s : a) {
            l.add(Bytes.ascii(s));
        }
        return l;
    }

    /** Runs getopt to the end; returns "opt[=arg] ... | operands" and the stderr text. */
    private static String[] scan(String opts, String... a) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Getopt g = new Getopt("prog", args(a), opts, err);
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = g.next()) != Getopt.DONE) {
            sb.append((char) c);
            if (g.arg() != null) {
                sb.append('=').append(Bytes.str(g.arg()));
            }
            sb.append(' ');
        }
        sb.append('|');
        for (byte[] o : g.operands()) {
            sb.append(' ').append(Bytes.str(o));
        }
        return new String[] {sb.toString(), Bytes.str(err.toByteArray())};
    }

    @Test
    void groupedAndAttachedAndSeparateArguments() {
        assertEquals("a b f=x f=y |", scan("abf:", "-ab", "-fx", "-f", "y")[0]);
        assertEquals("f=-a | z", scan("abf:", "-f", "-a", "z")[0]);
    }

    @Test
    void stopsAtOperandsLoneDashAndDoubleDash() {
        assertEquals("a | x -b", scan("ab", "-a", "x", "-b")[0]);
        assertEquals("a | - -b", scan("ab", "-a", "-", "-b")[0]);
        assertEquals("a | -b", scan("ab", "-a", "--", "-b")[0]);
        assertEquals("|", scan("ab")[0]);
        assertEquals("| ", scan("ab", "")[0]);
    }

    @Test
    void complainsLikeSgetopt() {
        String[] r = scan("af:", "-x");
        assertEquals("? |", r[0]);
        assertEquals("prog: illegal option -- x\n", r[1]);
        r = scan("af:", "-af");
        assertEquals("a ? |", r[0]);
        assertEquals("prog: option requires an argument -- f\n", r[1]);
        r = scan("af:", "-a:");
        assertEquals("prog: illegal option -- :\n", r[1]);
    }

    @Test
    void skipRestOfWordDropsAnOptionalAttachedArgument() {
        Getopt g = new Getopt("p", args("-Exyz", "-a", "op"), "Ea", null);
        assertEquals('E', g.next());
        g.skipRestOfWord();
        assertEquals('a', g.next());
        assertNull(g.arg());
        assertEquals(Getopt.DONE, g.next());
        assertArrayEquals(Bytes.ascii("op"), g.operands().get(0));
    }
}
