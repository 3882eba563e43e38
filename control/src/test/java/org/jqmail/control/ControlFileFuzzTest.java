package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import org.jqmail.io.fuzz.FuzzTarget;

/**
 * Control files (what an admin's {@code echo x > control/y} leaves): every reader takes any
 * bytes or refuses with an IOException; lines come back without trailing LF, space or TAB.
 */
class ControlFileFuzzTest extends FuzzTarget {
    ControlFileFuzzTest() {
        super("control-file", IOException.class);
    }

    @Override
    protected void fuzz(byte[] input) throws IOException {
        Control.Source src = new Control.Source() {
            @Override
            public InputStream open(Path p) {
                return new ByteArrayInputStream(input);
            }

            @Override
            public boolean mayExist(Path p) {
                return true;
            }
        };
        Control c = new Control(Path.of("/nonexistent/control"), src);
        byte[] me = c.me();
        assertTrue(me == null || me.length == 0 || me[me.length - 1] != ' ');
        c.readLine("x");
        c.readInt("databytes", 0);
        c.rldef("defaultdomain", true, "d.example");
        for (byte[] line : c.readFile("rcpthosts", true)) {
            assertTrue(line.length > 0 && line[0] != '#' && line[line.length - 1] != '\n');
        }
        c.readSet("locals", true);
        c.readColonMap("smtproutes");
    }
}
