package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jqmail.io.fuzz.FuzzTarget;

/**
 * Delivery reports: qmail-remote's records (r/h/s, then K/Z/D) and qmail-local's output folded
 * into one report as qmail-rspawn and qmail-lspawn do; any output gives a report that starts
 * with a result letter (never an exception).
 */
class ReportFuzzTest extends FuzzTarget {
    ReportFuzzTest() {
        super("report");
    }

    @Override
    protected List<byte[]> dictionary() {
        return List.of(new byte[] {'r'}, new byte[] {'h'}, new byte[] {'s'}, new byte[] {0, 'K'},
                new byte[] {0, 'Z'}, new byte[] {0, 'D'}, new byte[] {0});
    }

    @Override
    protected void fuzz(byte[] input) {
        int code = input.length == 0 ? 0 : input[0] & 0xff;
        for (byte[] r : new byte[][] {Report.rspawn(false, 0, input, input.length),
                Report.rspawn(false, code % 3 == 0 ? 0 : 111, input, input.length),
                Report.lspawn(false, code, input, input.length), Report.lspawn(false, 0, input, input.length),
                Report.lspawn(false, 100, input, input.length), Report.lspawn(false, 111, input, input.length)}) {
            assertTrue(r.length > 0 && (r[0] == 'K' || r[0] == 'Z' || r[0] == 'D'), "result letter");
            for (byte c : r) {
                assertTrue(c != 0, "a NUL would end qmail-send's record early");
            }
        }
    }
}
