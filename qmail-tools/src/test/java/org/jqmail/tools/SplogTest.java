package org.jqmail.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;

/** splogger's stamps, priorities, cutting and cleaning. */
class SplogTest {
    final List<String> logged = new ArrayList<>();
    long micros = 810362814000042L;

    List<String> run(String in) throws IOException {
        new Splog((p, m) -> logged.add(p + " " + Bytes.str(m)), () -> micros++).run(
                new ByteArrayInputStream(Bytes.ascii(in)));
        return logged;
    }

    @Test
    void linesGetStampsAndPriorities() throws IOException {
        assertEquals(List.of("6 810362814.000042 status: local 0/10 remote 0/20",
                "4 810362814.000043 warning: trouble",
                "1 810362814.000044 alert: cannot start",
                "6 810362814.000045 bad?bytes??"),
                run("status: local 0/10 remote 0/20\n\nwarning: trouble\nalert: cannot start\nbad\u0001bytes\u00e9\t\n"
                        + "unterminated"));
    }

    @Test
    void longLinesAreCutAt799WithContinuationStamps() throws IOException {
        String line = "warning: " + "x".repeat(790) + "y".repeat(900);
        run(line + "\n");
        assertEquals(3, logged.size());
        assertEquals("4 810362814.000042 warning: " + "x".repeat(790), logged.get(0));
        assertEquals("4 810362814.000042+" + "y".repeat(799), logged.get(1));
        assertEquals("4 810362814.000042+" + "y".repeat(101), logged.get(2));
    }
}
