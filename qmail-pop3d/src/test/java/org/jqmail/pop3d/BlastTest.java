package org.jqmail.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jqmail.io.Bytes;
import org.jqmail.io.Chunked;
import org.jqmail.io.SubstdioOut;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Message transmission as qmail-pop3d's blast(): CRLF, dot-stuffing, TOP's line limit. */
class BlastTest {
    static String blast(String file, long limit, int chunk) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        SubstdioOut out = new SubstdioOut(b, 16);
        InputStream in = new Chunked(file, chunk);
        Blast.blast(in, out, limit);
        return Bytes.str(b.toByteArray());
    }

    @ParameterizedTest(name = "[{index}] limit {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // Whole messages.
        "\"A: b\n\nbody\n\"|0|\"A: b\r\n\r\nbody\r\n\r\n.\r\n\"",
        "\"\"|0|\"\r\n.\r\n\"",
        "\"no newline\"|0|\"no newline\r\n\r\n.\r\n\"",
        "\"\n\"|0|\"\r\n\r\n.\r\n\"",
        "\"A: b\n\n.\n..x\n.\"|0|\"A: b\r\n\r\n..\r\n...x\r\n..\r\n\r\n.\r\n\"",
        "\".hdr\n\"|0|\"..hdr\r\n\r\n.\r\n\"",
        "\"crlf\r\n\r\nx\r\n\"|0|\"crlf\r\r\n\r\r\nx\r\r\n\r\n.\r\n\"",
        "\"a\u0000b\n\"|0|\"a\u0000b\r\n\r\n.\r\n\"",
        // TOP n k passes k + 1: the header, the blank line, k body lines.
        "\"A: b\nC: d\n\n1\n2\n3\n\"|1|\"A: b\r\nC: d\r\n\r\n\r\n.\r\n\"",
        "\"A: b\nC: d\n\n1\n2\n3\n\"|2|\"A: b\r\nC: d\r\n\r\n1\r\n\r\n.\r\n\"",
        "\"A: b\nC: d\n\n1\n2\n3\n\"|4|\"A: b\r\nC: d\r\n\r\n1\r\n2\r\n3\r\n\r\n.\r\n\"",
        "\"A: b\nC: d\n\n1\n2\n3\n\"|99|\"A: b\r\nC: d\r\n\r\n1\r\n2\r\n3\r\n\r\n.\r\n\"",
        // A message without a blank line is all header: TOP never cuts it.
        "\"A: b\nC: d\n\"|1|\"A: b\r\nC: d\r\n\r\n.\r\n\"",
        // Only an empty line ends the header; a line with a CR does not.
        "\"A: b\r\n\r\nx\n\"|1|\"A: b\r\r\n\r\r\nx\r\n\r\n.\r\n\"",
        "\"A: b\n\n\n\nx\n\"|2|\"A: b\r\n\r\n\r\n\r\n.\r\n\"",
    })
    void sendsAsQmailPop3d(String file, long limit, String expected) throws IOException {
        for (int chunk = 1; chunk <= 5; chunk++) {
            assertEquals(expected, blast(file, limit, chunk), "chunk " + chunk);
        }
        assertEquals(expected, blast(file, limit, 100000));
    }

    @ParameterizedTest
    @CsvSource({"-1", "-2"})
    void aHugeUnsignedLimitIsNoLimitInPractice(long limit) throws IOException {
        assertEquals("A: b\r\n\r\n1\r\n2\r\n\r\n.\r\n", blast("A: b\n\n1\n2\n", limit, 3));
    }
}
