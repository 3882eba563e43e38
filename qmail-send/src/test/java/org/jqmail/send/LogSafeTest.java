package org.jqmail.send;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;

/** qmail-send's logsafe. */
class LogSafeTest {
    @Test
    void logsafeReplacesNewlinesAndUnsafeBytes() {
        assertEquals("did_1+0+0/", Bytes.str(LogSafe.of(Bytes.ascii("did 1+0+0\n"))));
        assertEquals("100_/a_b_c", Bytes.str(LogSafe.of(Bytes.ascii("100%\na\tb\u00ffc"))));
        assertEquals("cut", Bytes.str(LogSafe.of(Bytes.ascii("cut\0rest"))));
    }
}
