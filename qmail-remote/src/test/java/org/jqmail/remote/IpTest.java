package org.jqmail.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "1.2.3.4, 1.2.3.4",
        "[1.2.3.4], 1.2.3.4",
        "300.1.1.1, 44.1.1.1",
        "01.002.3.4, 1.2.3.4",
        "1.2.3, -",
        "1.2.3.4., -",
        "1.2.3.4x, -",
        "[1.2.3.4, -",
        "[1.2.3.4]x, -",
        "a.b.c.d, -",
        "1..2.3, -"})
    void literals(String s, String expect) {
        int[] ip = new int[1];
        boolean lit = Ip.literal(s.getBytes(StandardCharsets.ISO_8859_1), ip);
        assertEquals(expect, lit ? new String(Ip.fmt(ip[0]), StandardCharsets.ISO_8859_1) : "-");
    }
}
