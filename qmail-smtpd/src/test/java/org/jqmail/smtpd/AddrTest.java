package org.jqmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AddrTest {
    private static String parse(String arg, String liphost) throws IOException {
        byte[] a = arg.getBytes(StandardCharsets.ISO_8859_1);
        byte[] r = Addr.parse(a, 0, a.length, liphost == null ? null : liphost.getBytes(StandardCharsets.ISO_8859_1),
                ip -> ip[0] == 127 && ip[3] == 1 || (ip[0] | ip[1] | ip[2] | ip[3]) == 0);
        return r == null ? null : new String(r, StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "FROM:<a@b>|a@b",
        "FROM: <a@b>|a@b",
        "<a@b>|a@b",
        "FROM:a@b|a@b",
        "FROM:   a@b trailing|a@b",
        "FROM:<>|''",
        "nothing at all|''",
        "FROM:<@r1,@r2:user@host>|user@host",
        "FROM:@r1:user@host|user@host",
        "FROM:<\"quoted > part\"@x>|quoted > part@x",
        "FROM:<a\\>b@x>|a>b@x",
        "FROM:<unterminated@x|unterminated@x",
        "FROM:<a@b> SIZE=100|a@b",
        "FROM:\"sp ace\"@x rest|sp ace@x",
        "TO:<a@b>>|a@b",
        "<a<b@c>|a<b@c",
    })
    void parsesLikeQmailSmtpd(String arg, String addr) throws IOException {
        assertEquals(addr, parse(arg, null));
    }

    @Test
    void localIpIsReplacedOnlyWhenItIsMine() throws IOException {
        assertEquals("u@me.example", parse("<u@[127.0.0.1]>", "me.example"));
        assertEquals("u@me.example", parse("<u@[127.0.0.257]>", "me.example"));
        assertEquals("u@me.example", parse("<u@[0.0.0.0]>", "me.example"));
        assertEquals("u@[10.0.0.1]", parse("<u@[10.0.0.1]>", "me.example"));
        assertEquals("u@[127.0.0.1]", parse("<u@[127.0.0.1]>", null));
        assertEquals("u@[127.0.0.1]x", parse("<u@[127.0.0.1]x>", "me.example"));
        assertEquals("u@[127.0.0.1", parse("<u@[127.0.0.1>", "me.example"));
        assertEquals("u@[127.0.1]", parse("<u@[127.0.1]>", "me.example"));
    }

    @Test
    void lengthBoundCountsTheNul() throws IOException {
        assertEquals(899, parse("<" + "a".repeat(899) + ">", null).length());
        assertNull(parse("<" + "a".repeat(900) + ">", null));
        assertNull(parse("<" + "a".repeat(901) + ">", null));
    }
}
