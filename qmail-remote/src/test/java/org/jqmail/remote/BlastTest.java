package org.jqmail.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Message transmission (qmail-remote(8), notqmail's CR fix): dot-stuffing and line-end conversion, byte exact. */
class BlastTest {
    static final String IP = "192.0.2.1";
    static final String HEAD = "HELO helo.test\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<x@example.com>\r\nDATA\r\n";
    static final String OKS = "220 hi\r\n250 a\r\n250 b\r\n250 c\r\n354 d\r\n250 e\r\n";
    static final String K = "r\0K" + IP + " accepted message.\nRemote host said: 250 e\n\0";

    @TempDir
    Path home;
    Harness h;

    @BeforeEach
    void setUp() throws IOException {
        h = new Harness(home);
        h.dns.mx("example.com", 10, "mx.example.com").a("mx.example.com", IP);
    }

    static Stream<Arguments> messages() {
        return Stream.of(
            Arguments.of("empty message", "", ".\r\n"),
            Arguments.of("one line", "a\n", "a\r\n.\r\n"),
            Arguments.of("empty lines", "\n\n", "\r\n\r\n.\r\n"),
            Arguments.of("leading dots doubled", ".\n..\n.a\nb.\n", "..\r\n...\r\n..a\r\nb.\r\n.\r\n"),
            Arguments.of("a lone dot line", "x\n.\ny\n", "x\r\n..\r\ny\r\n.\r\n"),
            Arguments.of("CRLF input passes once", "a\r\nb\r\n", "a\r\nb\r\n.\r\n"),
            Arguments.of("dot line with CRLF", ".\r\n", "..\r\n.\r\n"),
            Arguments.of("bare CR inside a line", "a\rb\n", "a\r\nb\r\n.\r\n"),
            Arguments.of("byte after bare CR is not dot-stuffed", "a\r.b\n", "a\r\n.b\r\n.\r\n"),
            Arguments.of("CR CR LF", "a\r\r\n", "a\r\n\r\r\n.\r\n"),
            Arguments.of("CR at the very end", "a\r", "a\r\n.\r\n"),
            Arguments.of("line that is only CR at the end", "a\n\r", "a\r\n\r\n.\r\n"),
            Arguments.of("line starting with CR", "\rx\n", "\r\nx\r\n.\r\n"),
            Arguments.of("8-bit bytes unchanged", "\u00e9\u00ff\u0080\n", "\u00e9\u00ff\u0080\r\n.\r\n"),
            Arguments.of("NUL bytes unchanged", "a\0b\n", "a\0b\r\n.\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void messageBytesOnTheWire(String name, String message, String wire) {
        FakePeers.Peer p = h.peers.peer(FakeResolver.ip(IP), OKS);
        assertEquals(K, h.run(message.getBytes(StandardCharsets.ISO_8859_1), "example.com", "a@b.c", "x@example.com"));
        assertEquals(HEAD + wire + "QUIT\r\n", p.received());
    }

    @Test
    void longLinesAreSentUnchanged() {
        FakePeers.Peer p = h.peers.peer(FakeResolver.ip(IP), OKS);
        String line = "y".repeat(100_000);
        h.run((line + "\n").getBytes(StandardCharsets.ISO_8859_1), "example.com", "a@b.c", "x@example.com");
        assertEquals(HEAD + line + "\r\n.\r\nQUIT\r\n", p.received());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("partials")
    void partialFinalLineIsPermanentAndNoQuitIsSent(String message) {
        FakePeers.Peer p = h.peers.peer(FakeResolver.ip(IP), OKS);
        assertEquals("r\0DSMTP cannot transfer messages with partial final lines. (#5.6.2)\n\0",
                h.run(message.getBytes(StandardCharsets.ISO_8859_1), "example.com", "a@b.c", "x@example.com"));
        assertEquals(true, p.received().startsWith(HEAD));
        assertEquals(false, p.received().contains("QUIT"));
    }

    static Stream<String> partials() {
        return Stream.of("a", "a\nb", ".", "a\n.", "a\rb");
    }

    @Test
    void readErrorOnTheMessageIsTemporary() {
        h.peers.peer(FakeResolver.ip(IP), OKS);
        InputStream broken = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ < 3) {
                    return 'a';
                }
                throw new IOException("Input/output error");
            }
        };
        assertEquals("r\0ZUnable to read message. (#4.3.0)\n\0", h.run(broken, "example.com", "a@b.c", "x@example.com"));
    }
}
