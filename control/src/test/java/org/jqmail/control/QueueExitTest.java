package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueueExitTest {
    /** qmail-queue(8)'s numbers, and ours beyond them (doc/PROTOCOLS.md §1.2). */
    @ParameterizedTest
    @CsvSource({"OK,0", "ADDR_TOO_LONG,11", "PERM_REFUSED,31", "NOMEM,51", "TIMEOUT,52", "WRITE,53",
        "READ,54", "CONFIG,55", "NETWORK,56", "HOME,61", "QUEUE_DIR,62", "PID,63", "MESS,64", "INTD,65",
        "TODO,66", "TEMP_REFUSED,71", "CONN_TIMEOUT,72", "CONN_REFUSED,73", "COMM,74", "BUG,81",
        "CUSTOM,82", "ENVELOPE,91", "EXEC,120"})
    void eachConstantIsItsNumberAndBack(String name, int code) {
        QueueExit e = QueueExit.valueOf(name);
        assertEquals(code, e.code());
        assertSame(e, QueueExit.of(code));
    }

    @ParameterizedTest
    @CsvSource({"-1", "1", "12", "40", "100", "111", "115", "255", "256"})
    void aNumberQmailQueueDoesNotNameHasNoConstant(int code) {
        assertNull(QueueExit.of(code));
    }
}
