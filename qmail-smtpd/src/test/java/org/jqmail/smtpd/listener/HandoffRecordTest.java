package org.jqmail.smtpd.listener;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-off record as bin/qmail-smtpd (handoff.c) writes it, and what is refused. */
class HandoffRecordTest {
    private static HandoffRecord parse(String s) throws HandoffRecord.Bad {
        byte[] b = s.getBytes(ISO_8859_1);
        return HandoffRecord.parse(b, b.length);
    }

    @Test
    void argvAndEnvironmentInOrderWithTheirExactBytes() throws HandoffRecord.Bad {
        HandoffRecord r = parse("jqmail-handoff-1\0a/var/qmail/bin/qmail-smtpd\0a\0ahost x\0"
                + "eTCPREMOTEIP=127.0.0.1\0eRELAYCLIENT=\0eX=a=b\u00e9\u00ff\0eNOEQUALS\0e=v\0eTCPREMOTEIP=1.2.3.4\0");
        assertEquals(List.of("/var/qmail/bin/qmail-smtpd", "", "host x"), r.argv());
        assertEquals(Map.of("TCPREMOTEIP", "127.0.0.1", "RELAYCLIENT", "", "X", "a=b\u00e9\u00ff"), r.env());
        assertEquals(List.of("TCPREMOTEIP", "RELAYCLIENT", "X"), List.copyOf(r.env().keySet()));
    }

    @Test
    void noArgvAndNoEnvironment() throws HandoffRecord.Bad {
        HandoffRecord r = parse("jqmail-handoff-1\0");
        assertEquals(List.of(), r.argv());
        assertEquals(Map.of(), r.env());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "jqmail-handoff-1", "jqmail-handoff-2\0", "jqmail-handoff-10\0",
        "jqmail-handoff-1\0aqmail-smtpd", "jqmail-handoff-1\0\0", "jqmail-handoff-1\0xy\0",
        "jqmail-handoff-1\0aqmail-smtpd\0\0"})
    void anythingElseIsRefused(String s) {
        assertThrows(HandoffRecord.Bad.class, () -> parse(s));
    }

    @Test
    void onlyTheGivenLengthCounts() throws HandoffRecord.Bad {
        byte[] b = "jqmail-handoff-1\0ax\0garbage".getBytes(ISO_8859_1);
        assertEquals(List.of("x"), HandoffRecord.parse(b, 20).argv());
    }
}
