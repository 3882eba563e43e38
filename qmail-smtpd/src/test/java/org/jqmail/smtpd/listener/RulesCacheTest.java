package org.jqmail.smtpd.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listener's rules lookups: each gives what the current cdb says, and a cdb that tcprules
 * renames over the old one applies to the next connection. The clock runs ahead of the
 * files' times so that their stamps count as settled.
 */
class RulesCacheTest {
    private static final FileTime LONG_AGO = FileTime.fromMillis(1_000_000_000_000L);

    @TempDir
    Path dir;

    /** Writes the rules as tcprules does: a temporary file renamed over the cdb. */
    private Path rules(String... kv) throws IOException {
        Path tmp = TestCdb.write(dir.resolve("tcp.smtp.tmp"), kv);
        Files.setLastModifiedTime(tmp, LONG_AGO);
        return Files.move(tmp, dir.resolve("tcp.smtp.cdb"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private RulesCache ahead(Path p) {
        return new RulesCache(p, () -> System.currentTimeMillis() + 60_000);
    }

    @Test
    void decisionsAreKeptWhileTheFileIsUnchanged() throws IOException {
        RulesCache c = ahead(rules("127.", "+RELAYCLIENT=\0+A=1\0", "", ""));
        TcpRules.Decision d = c.find("127.0.0.1", null);
        assertFalse(d.deny());
        assertEquals(List.of("RELAYCLIENT", "A"), List.copyOf(d.env().keySet()));
        TcpRules.Decision again = c.find("127.0.0.1", null);
        assertSame(again, c.find("127.0.0.1", null));
        assertEquals(d, again);
        assertEquals(Map.of(), c.find("192.0.2.1", null).env());
        assertThrows(UnsupportedOperationException.class, () -> again.env().put("X", "y"));
    }

    @Test
    void aNewCdbAppliesToTheNextConnection() throws IOException {
        RulesCache c = ahead(rules("127.", "+RELAYCLIENT=\0", "", ""));
        assertEquals(Map.of("RELAYCLIENT", ""), c.find("127.0.0.1", null).env());
        assertEquals(Map.of("RELAYCLIENT", ""), c.find("127.0.0.1", null).env());
        rules("127.", "D\0", "", "");
        assertTrue(c.find("127.0.0.1", null).deny());
    }

    @Test
    void hostNamesAreLookedUpSeparately() throws IOException {
        RulesCache c = ahead(rules("=mx.example", "D\0", "", ""));
        assertTrue(c.find("192.0.2.1", "mx.example").deny());
        assertFalse(c.find("192.0.2.1", null).deny());
        assertFalse(c.find("192.0.2.1", "other.example").deny());
    }

    @Test
    void aMissingFileIsNullEveryTime() throws IOException {
        Path p = dir.resolve("none.cdb");
        RulesCache c = ahead(p);
        assertNull(c.find("127.0.0.1", null));
        rules("", "D\0");
        Files.move(dir.resolve("tcp.smtp.cdb"), p);
        assertTrue(c.find("127.0.0.1", null).deny());
        Files.delete(p);
        assertNull(c.find("127.0.0.1", null));
    }

    @Test
    void aRecentFileIsReadEveryTime() throws IOException {
        Path p = rules("", "+A=1\0");
        RulesCache now = new RulesCache(p, System::currentTimeMillis);
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis()));
        TcpRules.Decision d = now.find("127.0.0.1", null);
        assertEquals(Map.of("A", "1"), d.env());
        assertFalse(d == now.find("127.0.0.1", null));
    }
}
