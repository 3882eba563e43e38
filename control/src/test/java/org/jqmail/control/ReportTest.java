package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportTest {
    private static String lspawn(boolean crashed, int code, String out) {
        byte[] o = Bytes.ascii(out);
        return Bytes.str(Report.lspawn(crashed, code, o, o.length));
    }

    private static String rspawn(int code, String out) {
        byte[] o = Bytes.ascii(out);
        return Bytes.str(Report.rspawn(false, code, o, o.length));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|Kdid 1+0+0\\n",
        "111|Zdid 1+0+0\\n", "71|Zdid 1+0+0\\n", "74|Zdid 1+0+0\\n", "75|Zdid 1+0+0\\n",
        "100|Ddid 1+0+0\\n", "1|Ddid 1+0+0\\n", "99|Ddid 1+0+0\\n",
        "112|ZInternal qmail-lspawn bug.\\n", "113|ZNot allowed to perform deliveries as root.\\n",
        "115|ZNFS failure in qmail-local.\\n", "116|ZUnable to find alias user!\\n",
        "117|ZTrouble reading users/cdb in qmail-lspawn.\\n", "118|ZTemporary failure in qmail-lspawn.\\n",
        "119|ZOut of memory in qmail-lspawn.\\n", "120|ZUnable to run qmail-local.\\n",
        "121|ZUnable to run qmail-getpw.\\n", "126|DUnable to run qmail-local.\\n"})
    void lspawnMapsExitCodesAsQmailDoes(int code, String expected) {
        assertEquals(expected.replace("\\n", "\n"), lspawn(false, code, "did 1+0+0\n"));
    }

    @Test
    void lspawnReportsACrashAndStopsAtTheFirstNul() {
        assertEquals("Zqmail-local crashed.\n", lspawn(true, 0, "anything"));
        assertEquals("Kbefore", lspawn(false, 0, "before\0after"));
    }

    @Test
    void truncationKeeps2966BytesAndAppendsTheNotice() {
        ByteBuf out = new ByteBuf(10_000);
        out.append("y".repeat(3000));
        Report.truncate(out, Report.LSPAWN_TRUNC);
        assertEquals(3000, out.length());
        out.append('z');
        Report.truncate(out, Report.LSPAWN_TRUNC);
        assertEquals(2966 + 31, out.length());
        assertEquals("y".repeat(2966) + "\nError report too long, sorry.\n", out.toString());
    }

    @Test
    void rspawnFoldsTheSpecExample() {
        assertEquals("K1.2.3.4 accepted message.\nRemote host said: 250 ok\n",
                rspawn(0, "r\0K1.2.3.4 accepted message.\nRemote host said: 250 ok\n\0"));
    }

    @Test
    void rspawnRecipientRejectionsOverrideTheMessageResult() {
        assertEquals("D1.2.3.4 does not like recipient.\nRemote host said: 550 no\n"
                        + "Giving up on 1.2.3.4.\n",
                rspawn(0, "h1.2.3.4 does not like recipient.\nRemote host said: 550 no\n\0"
                        + "DGiving up on 1.2.3.4.\n\0"));
        assertEquals("Z1.2.3.4 does not like recipient.\nRemote host said: 450 later\n"
                        + "Giving up on 1.2.3.4.\n",
                rspawn(0, "s1.2.3.4 does not like recipient.\nRemote host said: 450 later\n\0"
                        + "DGiving up on 1.2.3.4.\n\0"));
    }

    @Test
    void rspawnAppendsTheMessageTextOnlyWhenItIsNotBetterThanTheCombinedOutcome() {
        // result K (1) > orr Z (0): only the first report's text.
        assertEquals("Zrcpt soft\n",
                rspawn(0, "srcpt soft\n\0Kaccepted\n\0"));
        // Message-level failure before any recipient: a single D report.
        assertEquals("DConnected to 1.2.3.4 but sender was rejected.\n",
                rspawn(0, "DConnected to 1.2.3.4 but sender was rejected.\n\0"));
        assertEquals("ZSorry, I couldn't find any host by that name. (#4.1.2)\n",
                rspawn(0, "ZSorry, I couldn't find any host by that name. (#4.1.2)\n\0"));
    }

    @Test
    void rspawnExitStatusesAndEmptyOutput() {
        assertEquals("ZUnable to run qmail-remote.\n", rspawn(111, "x"));
        assertEquals("DUnable to run qmail-remote.\n", rspawn(100, "x"));
        assertEquals("DUnable to run qmail-remote.\n", rspawn(1, "x"));
        assertEquals("Zqmail-remote produced no output.\n", rspawn(0, ""));
        assertEquals("Zqmail-remote crashed.\n", Bytes.str(Report.rspawn(true, 0, new byte[0], 0)));
        // No NUL after the letter: only the letter, as the C loop never finds one.
        assertEquals("D", rspawn(0, "Dno terminator"));
    }
}
