package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jqmail.io.Bytes;
import org.jqmail.io.Chunked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** quote.c, date822fmt, myctime, fmtqfn and qmail_close's status strings. */
class TextTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "djb@example.org|djb@example.org",
        "first.last@x|first.last@x",
        ".lead@x|\".lead\"@x",
        "trail.@x|\"trail.\"@x",
        "a..b@x|\"a..b\"@x",
        "with space@x|\"with space\"@x",
        "q\"uote@x|\"q\\\"uote\"@x",
        "a@b@c|\"a@b\"@c",
        "bare|bare",
        "@x|\"\"@x"})
    void quote2QuotesOnlyTheLocalPartWhenNeeded(String in, String out) {
        assertEquals(out, Bytes.str(Quote.quote2(Bytes.ascii(in))));
    }

    @Test
    void quote2EdgeCases() {
        assertEquals("!#$%&'*+-/=?^_`{|}~@x", Bytes.str(Quote.quote2(Bytes.ascii("!#$%&'*+-/=?^_`{|}~@x"))));
        assertEquals("", Bytes.str(Quote.quote2(new byte[0])));
        assertEquals("\"back\\\\slash\"@x", Bytes.str(Quote.quote2(Bytes.ascii("back\\slash@x"))));
        assertEquals("\"cr\\\rlf\\\n\"@x", Bytes.str(Quote.quote2(Bytes.ascii("cr\rlf\n@x"))));
        assertEquals("\"\u00e9\"@x", Bytes.str(Quote.quote2(Bytes.ascii("\u00e9@x"))));
        assertEquals("a@b", Bytes.str(Quote.quote2(Bytes.ascii("a@b\0ignored"))));
    }

    @Test
    void datesAreUtcAndFormattedAsQmailDoes() {
        // 6 Sep 1995 04:46:54 UTC = 810362814
        assertEquals("6 Sep 1995 04:46:54 -0000\n", Bytes.str(Date822.fmt(810362814L)));
        assertEquals("Wed Sep 06 04:46:54 1995\n", Bytes.str(Date822.ctime(810362814L)));
        assertEquals("19950906044654", Bytes.str(Date822.idStamp(810362814L)));
        assertEquals("1 Jan 1970 00:00:00 -0000\n", Bytes.str(Date822.fmt(0)));
    }

    @Test
    void queuePathsSplitByTheRemainder() {
        QueuePaths q = new QueuePaths(23);
        assertEquals("mess/20/457", q.mess(457));
        assertEquals("info/0/23", q.info(23));
        assertEquals("todo/457", QueuePaths.todo(457));
        assertEquals("20/457", q.messfile(457));
        assertEquals("remote/1/24", q.remote(24));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|''", "11|Denvelope address too long for qq (#5.1.3)", "115|Denvelope address too long for qq (#5.1.3)",
        "31|Dmail server permanently rejected message (#5.3.0)", "51|Zqq out of memory (#4.3.0)",
        "52|Zqq timeout (#4.3.0)", "53|Zqq write error or disk full (#4.3.0)", "54|Zqq read error (#4.3.0)",
        "55|Zqq unable to read configuration (#4.3.0)", "56|Zqq trouble making network connection (#4.3.0)",
        "61|Zqq trouble in home directory (#4.3.0)", "62|Zqq trouble creating files in queue (#4.3.0)",
        "66|Zqq trouble creating files in queue (#4.3.0)",
        "71|Zmail server temporarily rejected message (#4.3.0)",
        "72|Zconnection to mail server timed out (#4.4.1)", "73|Zconnection to mail server rejected (#4.4.1)",
        "74|Zcommunication with mail server failed (#4.4.2)", "81|Zqq internal bug (#4.3.0)",
        "91|Zqq internal bug (#4.3.0)", "120|Zunable to exec qq (#4.3.0)", "12|Dqq permanent problem (#5.3.0)",
        "40|Dqq permanent problem (#5.3.0)", "41|Zqq temporary problem (#4.3.0)", "1|Zqq temporary problem (#4.3.0)",
        "82|Zqq temporary problem (#4.3.0)"})
    void qmailCloseStatusStrings(int code, String status) {
        assertEquals(status, QueueExit.status(false, code, false, null, 0));
    }

    @Test
    void customFd6TextAndCrashesAndWriteErrors() {
        byte[] t = Bytes.ascii("Dspam rejected (#5.7.1)");
        assertEquals("Dspam rejected (#5.7.1)", QueueExit.status(false, 82, false, t, t.length));
        assertEquals("Zqq temporary problem (#4.3.0)", QueueExit.status(false, 82, false, t, 2));
        assertEquals("Zqq crashed (#4.3.0)", QueueExit.status(true, 0, false, null, 0));
        assertEquals("Zqq read error (#4.3.0)", QueueExit.status(false, 0, true, null, 0));
    }

    @Test
    void spawnCommandRoundTrip() throws Exception {
        SpawnCommand c = new SpawnCommand(7, Bytes.ascii("20/457"), Bytes.ascii(""), Bytes.ascii("u@h"));
        byte[] enc = c.encode();
        assertArrayEquals(Bytes.ascii("\u000720/457\0\0u@h\0"), enc);
        SpawnCommand d = SpawnCommand.read(new org.jqmail.io.SubstdioIn(new Chunked(enc, 1), 3));
        assertEquals(7, d.slot());
        assertEquals("20/457", Bytes.str(d.messfile()));
        assertEquals("u@h", Bytes.str(d.recipient()));
    }
}
