package org.jqmail.local;

import org.jqmail.control.TempFail;
import org.jqmail.control.PermFail;
import static org.jqmail.local.T.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The exit-status table of qmail-command(8) (the processes themselves run in QmailLocalIT). */
class ProgramTest {
    @Test
    void zeroDelivers() throws Exception {
        assertFalse(Program.exit(0));
    }

    @Test
    void ninetyNineDeliversAndStops() throws Exception {
        assertTrue(Program.exit(99));
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 64, 65, 70, 76, 77, 78, 112})
    void permanentCodesBounceWithoutText(int code) {
        PermFail f = assertThrows(PermFail.class, () -> Program.exit(code));
        assertEquals("", s(f.text()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 63, 66, 69, 71, 75, 79, 98, 101, 111, 113, 126, 127, 128, 193, 255})
    void otherCodesDeferWithoutText(int code) {
        TempFail f = assertThrows(TempFail.class, () -> Program.exit(code));
        assertEquals("", s(f.text()));
    }

    @ParameterizedTest
    @ValueSource(ints = {129, 134, 137, 143, 192})
    void signalledChildCrashed(int code) {
        TempFail f = assertThrows(TempFail.class, () -> Program.exit(code));
        assertEquals("Aack, child crashed. (#4.3.0)", s(f.text()));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", value = {
        "Cannot run program \"/bin/sh\" (in directory \"/h\"): error=2, No such file or directory"
            + " => Unable to run /bin/sh: file does not exist. (#4.3.0)",
        "Cannot run program \"/bin/sh\": error=13, Permission denied => Unable to run /bin/sh: access denied. (#4.3.0)",
        "Cannot allocate memory => Unable to fork: out of memory. (#4.3.0)",
        "something odd => Unable to fork: unknown error. (#4.3.0)"})
    void startFailuresMapToExecOrForkTexts(String message, String text) {
        assertEquals(text, s(Program.startFailure(new IOException(message)).text()));
    }
}
