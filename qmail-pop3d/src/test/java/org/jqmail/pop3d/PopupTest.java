package org.jqmail.pop3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.io.Bytes;
import org.jqmail.io.Chunked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** qmail-popup's authorization state with a stand-in subprogram: whole replies, fd 3 bytes. */
class PopupTest {
    static final String GREETING = "+OK <4242.1700000000@mail.example>\r\n";

    /** Records what it got on fd 3 and ends as told. */
    static final class Fake implements Popup.Subprogram {
        final List<String> logins = new ArrayList<>();
        Outcome outcome = Outcome.SUCCESS;
        Popup.Trouble trouble;

        @Override
        public Outcome run(byte[] fd3) throws Popup.Trouble {
            logins.add(Bytes.str(fd3.clone()));
            if (trouble != null) {
                throw trouble;
            }
            return outcome;
        }
    }

    static String session(String input, Fake sub) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new Popup(new Chunked(input, 3), out, Bytes.ascii("mail.example"), Popup.unique(4242, 1_700_000_000L), sub)
                .run();
        return Bytes.str(out.toByteArray());
    }

    @Test
    void userThenPassRunsTheSubprogramWithTheLoginOnFd3() throws IOException {
        Fake sub = new Fake();
        assertEquals(GREETING + "+OK \r\n", session("USER joe\r\nPASS s3cr et\r\nSTAT\r\n", sub));
        assertEquals(List.of("joe\0s3cr et\0<4242.1700000000@mail.example>\0"), sub.logins);
    }

    @Test
    void apopSplitsAtTheFirstSpaceOnly() throws IOException {
        Fake sub = new Fake();
        assertEquals(GREETING, session("APOP joe  c4c9334bac560ecc979e58001b3e22fb\r\n", sub));
        assertEquals(List.of("joe\0 c4c9334bac560ecc979e58001b3e22fb\0<4242.1700000000@mail.example>\0"), sub.logins);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FAILED|-ERR authorization failed",
        "CRASHED|-ERR aack, child crashed",
    })
    void aFailedOrCrashedSubprogramIsReportedAndEndsTheSession(Popup.Subprogram.Outcome o, String reply)
            throws IOException {
        Fake sub = new Fake();
        sub.outcome = o;
        assertEquals(GREETING + "+OK \r\n" + reply + "\r\n", session("USER joe\r\nPASS x\r\nUSER joe\r\n", sub));
    }

    @ParameterizedTest
    @CsvSource({"unable to fork", "unable to write pipe"})
    void troubleStartingOrFeedingTheSubprogram(String text) throws IOException {
        Fake sub = new Fake();
        sub.trouble = new Popup.Trouble(text, null);
        assertEquals(GREETING + "+OK \r\n-ERR " + text + "\r\n", session("USER joe\r\nPASS x\r\nNOOP\r\n", sub));
        sub.trouble = new Popup.Trouble(null, null);
        assertEquals(GREETING + "+OK \r\n", session("USER joe\r\nPASS x\r\nNOOP\r\n", sub));
    }

    @Test
    void commandsOutOfOrderAndBadArguments() throws IOException {
        Fake sub = new Fake();
        assertEquals(GREETING
                + "-ERR USER first\r\n"
                + "-ERR syntax error\r\n"
                + "+OK \r\n"
                + "-ERR syntax error\r\n"
                + "-ERR syntax error\r\n"
                + "-ERR authorization first\r\n"
                + "-ERR authorization first\r\n"
                + "-ERR authorization first\r\n"
                + "+OK \r\n"
                + "+OK \r\n",
                session("PASS x\r\nUSER\r\nUSER joe\r\nPASS \r\nAPOP joe\r\nSTAT\r\nRETR 1\r\n\r\nnoop\r\nQuit\r\nUSER x\r\n",
                        sub));
        assertEquals(List.of(), sub.logins);
    }

    @Test
    void theLastUserCountsAndEndOfInputEndsQuietly() throws IOException {
        Fake sub = new Fake();
        assertEquals(GREETING + "+OK \r\n+OK \r\n", session("USER a\r\nUSER b\r\nPASS p\r\n", sub));
        assertEquals(List.of("b\0p\0<4242.1700000000@mail.example>\0"), sub.logins);
        assertEquals(GREETING + "+OK \r\n", session("USER a\r\nPASS p", new Fake()));
    }

    @Test
    void anOverlongLineIsOutOfMemory() throws IOException {
        Fake sub = new Fake();
        String pass = "PASS " + "p".repeat(Commands.LINE_MAX);
        assertEquals(GREETING + "+OK \r\n-ERR out of memory\r\n", session("USER a\r\n" + pass + "\r\n", sub));
        assertEquals(List.of(), sub.logins);
    }

    @Test
    void fd3BytesAndUnique() {
        assertEquals("77.5@", Bytes.str(Popup.unique(77, 5)));
        assertEquals("u\0p\0<1.2@h>\0", Bytes.str(Popup.fd3(Bytes.ascii("u"), Bytes.ascii("p"),
                Bytes.ascii("1.2@"), Bytes.ascii("h"))));
        assertNull(new Popup.Trouble(null, null).text());
    }
}
