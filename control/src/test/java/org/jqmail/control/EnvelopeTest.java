package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.io.Bytes;
import org.jqmail.io.Chunked;
import org.jqmail.io.SubstdioIn;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeTest {
    private static Envelope read(String s, int chunk) throws IOException {
        return Envelope.read(new SubstdioIn(new Chunked(Bytes.ascii(s), chunk), 7), null);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 100})
    void parsesSenderAndRecipientsInFragments(int chunk) throws IOException {
        Envelope e = read("Fme@example.org\0Ta@b\0Tc@d\0\0trailing", chunk);
        assertEquals("me@example.org", Bytes.str(e.sender()));
        assertEquals(2, e.recipients().size());
        assertEquals("c@d", Bytes.str(e.recipients().get(1)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 100})
    void nullSenderAndNoRecipientsAreFine(int chunk) throws IOException {
        Envelope e = read("F\0\0", chunk);
        assertEquals(0, e.sender().length);
        assertEquals(0, e.recipients().size());
    }

    @ParameterizedTest
    @CsvSource({"'Xa\0\0', FORMAT", "'Fa\0Xb\0\0', FORMAT", "'', TRUNCATED", "'Fa\0Tb\0', TRUNCATED",
        "'Fa', TRUNCATED", "'Fa\0Tb', TRUNCATED"})
    void badEnvelopesGetQmailQueuesClasses(String s, Envelope.Problem p) {
        Envelope.BadEnvelope e = assertThrows(Envelope.BadEnvelope.class, () -> read(s, 1));
        assertEquals(p, e.problem());
    }

    @ParameterizedTest
    @CsvSource({"1001, ''", "1002, ''", "1003, TOO_LONG"})
    void addressesUpTo1002BytesPassAnd1003IsTooLong(int len, String problem) throws IOException {
        String addr = "x".repeat(len);
        for (String env : new String[] {"F" + addr + "\0\0", "F\0T" + addr + "\0\0"}) {
            if (problem.isEmpty()) {
                read(env, 13);
            } else {
                Envelope.BadEnvelope e = assertThrows(Envelope.BadEnvelope.class, () -> read(env, 13));
                assertEquals(Envelope.Problem.TOO_LONG, e.problem());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5})
    void encodeAndSinkSeeEveryRecord(int chunk) throws IOException {
        Envelope e = new Envelope(Bytes.ascii("s@x"), List.of(Bytes.ascii("r1@y"), Bytes.ascii("r2@z")));
        assertArrayEquals(Bytes.ascii("Fs@x\0Tr1@y\0Tr2@z\0\0"), e.encode());
        List<String> seen = new ArrayList<>();
        Envelope.read(new SubstdioIn(new Chunked(e.encode(), chunk), 4),
                (t, a) -> seen.add((char) t + Bytes.str(a)));
        assertEquals(List.of("Fs@x", "Tr1@y", "Tr2@z"), seen);
    }
}
