package org.jqmail.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jqmail.io.Bytes;
import org.jqmail.io.fuzz.FuzzTarget;

/**
 * {@code .qmail} files (written by any local user): every file splits into instructions, none
 * of which holds an LF, and no more instructions than the file has lines.
 */
class DotQmailFuzzTest extends FuzzTarget {
    DotQmailFuzzTest() {
        super("dot-qmail");
    }

    @Override
    protected List<byte[]> dictionary() {
        return List.of(Bytes.ascii("|"), Bytes.ascii("&"), Bytes.ascii("./Maildir/"), Bytes.ascii("/var/mail/x"),
                Bytes.ascii("#"), Bytes.ascii("+list"), Bytes.ascii("\n\n"), Bytes.ascii(" \t\n"));
    }

    @Override
    protected void fuzz(byte[] input) {
        int lines = 1;
        for (byte c : input) {
            lines += c == '\n' ? 1 : 0;
        }
        List<Instructions.Line> parsed = Instructions.parse(input);
        assertTrue(parsed.size() <= lines, parsed.size() + " instructions from " + lines + " lines");
        for (Instructions.Line l : parsed) {
            assertTrue(l.kind() != null);
            for (byte c : l.shown()) {
                assertTrue(c != '\n', "LF in an instruction");
            }
            for (byte c : l.arg()) {
                assertTrue(c != '\n', "LF in an instruction's argument");
            }
        }
    }
}
