package org.jqmail.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Chunked;
import org.jqmail.io.SubstdioIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** commands.c's splitting of a command line, and the line bound. */
class CommandsTest {
    private static Commands.Command parse(String line) {
        return Commands.parse(Bytes.ascii(line));
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "USER joe|USER|joe",
        "\"USER joe\r\"|USER|joe",
        "\"USER   joe  \"|USER|\"joe  \"",
        "USER|USER|\"\"",
        "\"USER \"|USER|\"\"",
        "\"\"|\"\"|\"\"",
        "\"\r\"|\"\"|\"\"",
        "\" USER joe\"|\"\"|USER joe",
        "APOP joe  digest|APOP|joe  digest",
        "\"PASS a\tb\"|PASS|\"a\tb\"",
        "\"PASS secret\r\r\"|PASS|\"secret\r\"",
        "\"USER jo\u0000e\"|USER|jo",
        "\"\u0000USER joe\"|\"\"|\"\"",
        "NOOP\u00ff x|NOOP\u00ff|x",
    })
    void splitsAsCommandsDotC(String line, String verb, String arg) {
        Commands.Command c = parse(line);
        assertEquals(verb, Bytes.str(c.verb()));
        assertEquals(arg, Bytes.str(c.arg()));
    }

    @Test
    void verbsCompareWithoutCase() {
        assertTrue(parse("uSeR x").is("user"));
        assertTrue(!parse("users x").is("user"));
        assertTrue(!parse("use x").is("user"));
    }

    private static SubstdioIn in(String s, int chunk) {
        return new SubstdioIn(new Chunked(s, chunk), 128);
    }

    @Test
    void readsLinesInAnyFragmentsAndDropsAnUnfinishedLast() throws IOException {
        for (int chunk = 1; chunk <= 7; chunk++) {
            SubstdioIn in = in("USER a\r\nPASS  b\nSTAT", chunk);
            ByteBuf line = new ByteBuf(Commands.LINE_MAX);
            assertEquals("USER|a", Commands.read(in, line).toString());
            assertEquals("PASS|b", Commands.read(in, line).toString());
            assertNull(Commands.read(in, line));
            assertNull(Commands.read(in, line));
        }
    }

    @Test
    void aLineUpToTheBoundIsAcceptedAndOneByteMoreIsTooLong() throws IOException {
        ByteBuf line = new ByteBuf(Commands.LINE_MAX);
        String under = "NOOP " + "x".repeat(Commands.LINE_MAX - 6);
        String at = "NOOP " + "x".repeat(Commands.LINE_MAX - 5);
        String over = at + "y";
        assertEquals(Commands.LINE_MAX - 1, under.length());
        assertEquals("NOOP", Bytes.str(Commands.read(in(under + "\n", 1000), line).verb()));
        assertEquals(Commands.LINE_MAX - 5, Commands.read(in(at + "\n", 1000), line).arg().length);
        // CR counts: the bound is on the line before its CR is dropped.
        assertThrows(Commands.TooLong.class, () -> Commands.read(in(at + "\r\n", 1000), line));
        assertThrows(Commands.TooLong.class, () -> Commands.read(in(over + "\n", 1000), line));
    }
}
