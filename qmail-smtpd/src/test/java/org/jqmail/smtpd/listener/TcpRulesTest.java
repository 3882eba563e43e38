package org.jqmail.smtpd.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.jqmail.control.Cdb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules as Debian's tcprules writes them (data checked against its output). */
class TcpRulesTest {
    @TempDir
    Path dir;

    private Cdb rules(String... kv) throws IOException {
        return Cdb.open(TestCdb.write(dir.resolve("r.cdb"), kv));
    }

    @Test
    void exactIpSetsVariablesInOrder() throws IOException {
        try (Cdb c = rules("127.0.0.1", "+RELAYCLIENT=\0+DATABYTES=100\0", "", "")) {
            TcpRules.Decision d = TcpRules.find(c, "127.0.0.1", null, null);
            assertFalse(d.deny());
            assertEquals(Map.of("RELAYCLIENT", "", "DATABYTES", "100"), d.env());
        }
    }

    @Test
    void longestIpPrefixWinsThenDefault() throws IOException {
        try (Cdb c = rules("10.", "D\0", "10.1.", "+A=b\0", "", "+DEFAULT=1\0")) {
            assertEquals(Map.of("A", "b"), TcpRules.find(c, "10.1.2.3", null, null).env());
            assertTrue(TcpRules.find(c, "10.2.2.3", null, null).deny());
            assertEquals(Map.of("DEFAULT", "1"), TcpRules.find(c, "192.0.2.1", null, null).env());
        }
    }

    @Test
    void hostRulesNeedAHostName() throws IOException {
        try (Cdb c = rules("=mx.example", "+X=exact\0", "=.example", "+X=suffix\0", "=", "+X=anyname\0",
                "", "D\0")) {
            assertEquals("exact", TcpRules.find(c, "192.0.2.1", "mx.example", null).env().get("X"));
            assertEquals("suffix", TcpRules.find(c, "192.0.2.1", "a.b.example", null).env().get("X"));
            assertEquals("anyname", TcpRules.find(c, "192.0.2.1", "other", null).env().get("X"));
            assertTrue(TcpRules.find(c, "192.0.2.1", null, null).deny());
        }
    }

    @Test
    void ipRuleBeatsHostRuleAndAllowWithoutDataChangesNothing() throws IOException {
        try (Cdb c = rules("192.0.2.1", "", "=mx.example", "D\0")) {
            TcpRules.Decision d = TcpRules.find(c, "192.0.2.1", "mx.example", null);
            assertFalse(d.deny());
            assertTrue(d.env().isEmpty());
        }
    }

    @Test
    void noMatchingRuleAllows() throws IOException {
        try (Cdb c = rules("10.", "D\0")) {
            assertFalse(TcpRules.find(c, "127.0.0.1", null, null).deny());
        }
    }
}
