package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RcptHostsTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void domainOrDotSuffixFromTheList() throws IOException {
        try (RcptHosts rh = RcptHosts.of(List.of(b("Example.COM"), b(".sub.example.net")), null)) {
            assertTrue(rh.allowed(b("u@example.com")));
            assertTrue(rh.allowed(b("u@EXAMPLE.com")));
            assertFalse(rh.allowed(b("u@a.example.com")));
            assertTrue(rh.allowed(b("u@a.sub.example.net")));
            assertTrue(rh.allowed(b("u@x.y.sub.example.net")));
            assertFalse(rh.allowed(b("u@sub.example.net")));
            assertFalse(rh.allowed(b("u@example.com.evil")));
            assertTrue(rh.allowed(b("postmaster")));
            assertFalse(rh.allowed(b("u@")));
            assertTrue(rh.allowed(b("\"a@b\"@example.com")));
            assertFalse(rh.allowed(b("u@example.com@evil.example")));
        }
    }

    @Test
    void noRcpthostsAllowsEverything() throws IOException {
        try (RcptHosts rh = RcptHosts.of(null, null)) {
            assertTrue(rh.allowed(b("u@anything")));
            assertTrue(rh.allowed(b("u@")));
        }
    }

    @Test
    void morercpthostsKeysAreLowercasedDomains() throws IOException {
        Path p = dir.resolve("morercpthosts.cdb");
        try (CdbMake m = new CdbMake(p)) {
            m.add(b("more.example"), new byte[0]);
            m.add(b(".deep.example"), new byte[0]);
            m.finish();
        }
        try (RcptHosts rh = RcptHosts.of(List.of(b("listed.example")), Cdb.open(p))) {
            assertTrue(rh.allowed(b("u@MORE.example")));
            assertTrue(rh.allowed(b("u@x.deep.example")));
            assertFalse(rh.allowed(b("u@deep.example")));
            assertTrue(rh.allowed(b("u@listed.example")));
            assertFalse(rh.allowed(b("u@other.example")));
        }
    }
}
