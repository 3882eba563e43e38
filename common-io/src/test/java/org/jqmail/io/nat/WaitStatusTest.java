package org.jqmail.io.nat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WaitStatusTest {
    /** Raw statuses as Linux builds them, and what glibc's W* macros say about each. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // raw,    exited, code, signaled, sig
        "0x0000,   true,   0,    false,    0",   // exit(0)
        "0x6f00,   true,   111,  false,    0",   // exit(111)
        "0x6400,   true,   100,  false,    0",   // exit(100)
        "0xff00,   true,   255,  false,    0",   // exit(-1)
        "0x0009,   false,  0,    true,     9",   // SIGKILL
        "0x000f,   false,  0,    true,     15",  // SIGTERM
        "0x008b,   false,  0,    true,     11",  // SIGSEGV with core dump
        "0x007e,   false,  0,    true,     126", // highest signal number the layout holds
        "0x137f,   false,  19,   false,    127", // stopped by SIGSTOP
        "0xffff,   false,  255,  false,    127", // continued (WCONTINUED)
    })
    void decodesAsTheWaitMacros(String raw, boolean exited, int code, boolean signaled, int sig) {
        WaitStatus ws = new WaitStatus(Integer.decode(raw));
        assertEquals(exited, ws.exited());
        assertEquals(signaled, ws.signaled());
        assertEquals(code, ws.exitCode());
        assertEquals(sig, ws.termSig());
    }
}
