package org.jqmail.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.jqmail.inject.Token822.Token;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** token822.c: tokenizing, printing back, folding, flattening. */
class Token822Test {
    private static String roundTrip(String field) {
        List<Token> t = Token822.parse(Bytes.ascii(field));
        return t == null ? null : Bytes.str(Token822.unparse(t, Header.LINELEN));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "To: djb@x|To: djb@x",
        "To:djb  @ x . y|To: djb@x.y",
        "To: \"D. J.\" <djb@x>|To: \"D. J.\" <djb@x>",
        "To: (c1)djb@x(c2)|To: (c1) djb@x (c2)",
        "To: a,b,,c|To: a, b, , c",
        "To: g: a, b;|To: g: a, b;",
        "To: [1.2.3.4]|To: [1.2.3.4]",
        "To: a)b|To: \"a\\)b\"",
        "To: a]b|To: \"a\\]b\"",
        "To: a\\ b|To: a b",
        "To: a\\\"b|To: a\\\"b",
        "To: (out (in) out)|To: (out in out)",
        "To: \"q\\\"uo\\te\"|To: \"q\\\"uote\"",
        "To: [a\\]b]|To: [a\\]b]",
        "To:|To:"})
    void fieldsArePrintedBackTheQmailWay(String in, String out) {
        assertEquals(out + "\n", roundTrip(in));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"To: (open", "To: \"open", "To: [open", "To: )", "To: ]x",
        "To: (esc\\", "To: \"esc\\"})
    void unbalancedOrStrayClosersDoNotParse(String in) {
        assertNull(Token822.parse(Bytes.ascii(in)));
    }

    @Test
    void controlAndHighBytesTurnAnAtomIntoAQuotedString() {
        assertEquals("To: \"a\u00e9b\"\n", roundTrip("To: a\u00e9b"));
        assertEquals("To: \"a\\\rb\"\n", roundTrip("To: a\\\rb"));
        assertEquals("To: \"a\u0001\"\n", roundTrip("To: a\u0001"));
    }

    @Test
    void continuationLinesAreJustSpace() {
        assertEquals("To: folded continued\n", roundTrip("To:\n folded\n\tcontinued\n"));
    }

    @Test
    void aTrailingBackslashEndsTheAtom() {
        assertEquals("To: a\n", roundTrip("To: a\\"));
    }

    @Test
    void foldsOnlyAfterCommasKeepingLinesWithinEightyBytes() {
        String a = "aaaaaaaaaa@example.com";
        String in = "To: " + a + ", " + a + ", " + a + ", " + a + ", " + a;
        String line1 = "To: " + a + ", " + a + ", " + a + ",";
        assertEquals(75, line1.length());
        assertEquals(line1 + "\n  " + a + ", " + a + "\n", roundTrip(in));
    }

    @Test
    void aLineOfExactlySeventyEightBytesStaysJoined() {
        // A break is removed while the joined line stays within LINELEN - 2 = 78 bytes.
        String a = "x".repeat(33) + "@y";
        String b = "x".repeat(35) + "@y";
        assertEquals(78, ("To: " + a + ", " + b).length());
        assertEquals("To: " + a + ", " + b + "\n", roundTrip("To: " + a + ", " + b));
        String c = b + "w";
        assertEquals("To: " + a + ",\n  " + c + "\n", roundTrip("To: " + a + ", " + c));
    }

    @Test
    void unquoteFlattensForTheEnvelope() {
        List<Token> t = Token822.parse(Bytes.ascii("\"a b\"@[1.2.3.4] (comment) , <>;:."));
        assertEquals("a b@[1.2.3.4],<>;:.", Bytes.str(Token822.unquote(t)));
    }
}
