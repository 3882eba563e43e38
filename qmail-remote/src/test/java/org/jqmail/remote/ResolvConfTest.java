package org.jqmail.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolvConfTest {
    @TempDir
    Path dir;

    ResolvConf parse(String text) throws IOException {
        Path p = dir.resolve("resolv.conf");
        Files.write(p, text.getBytes(StandardCharsets.ISO_8859_1));
        return ResolvConf.read(p);
    }

    @Test
    void upToThreeNameServersAndOptions() throws IOException {
        ResolvConf rc = parse("# c\nsearch example.com\nnameserver 10.0.0.1\nnameserver ::1\n"
                + "nameserver\tname.example\nnameserver 10.0.0.3\nnameserver 10.0.0.4\n"
                + "options ndots:2 timeout:3 attempts:4\n");
        assertEquals(List.of("/10.0.0.1:53", "/[0:0:0:0:0:0:0:1]:53", "/10.0.0.3:53"),
                rc.servers().stream().map(InetSocketAddress::toString).toList());
        assertEquals(3, rc.timeout());
        assertEquals(4, rc.attempts());
    }

    @Test
    void defaultsWithoutFile() {
        ResolvConf rc = ResolvConf.read(dir.resolve("none"));
        assertEquals(1, rc.servers().size());
        assertEquals(true, rc.servers().get(0).getAddress().isLoopbackAddress());
        assertEquals(5, rc.timeout());
        assertEquals(2, rc.attempts());
    }

    @Test
    void overrideServers() {
        assertEquals("/127.0.0.1:5353", ResolvConf.server("127.0.0.1:5353").toString());
        assertEquals("/127.0.0.1:53", ResolvConf.server("127.0.0.1").toString());
        assertEquals("/[0:0:0:0:0:0:0:1]:5300", ResolvConf.server("[::1]:5300").toString());
        assertNull(ResolvConf.server("localhost:53"));
        assertNull(ResolvConf.server("127.0.0.1:0"));
        assertNull(ResolvConf.server("127.0.0.1:70000"));
        assertNull(ResolvConf.server("127.0.0.1:x"));
    }
}
