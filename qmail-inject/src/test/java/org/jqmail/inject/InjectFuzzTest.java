package org.jqmail.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jqmail.io.Bytes;
import org.jqmail.io.fuzz.FuzzTarget;
import org.junit.jupiter.api.AfterEach;

/**
 * qmail-inject's header parser on any message (headerbody, token822, the address rewriting):
 * it ends with qmail-inject's exit codes only (0, 100, 111), a queued message has a sender, no
 * envelope address holds a NUL, and token822's output parses back to the same output.
 */
class InjectFuzzTest extends FuzzTarget {
    private final Path home;

    InjectFuzzTest() throws IOException {
        super("inject-header");
        home = Files.createTempDirectory("injectfuzz");
        Path c = Files.createDirectories(home.resolve("control"));
        Files.writeString(c.resolve("me"), "silverton.berkeley.edu\n");
        Files.writeString(c.resolve("defaultdomain"), "berkeley.edu\n");
        Files.writeString(c.resolve("plusdomain"), "berkeley.edu\n");
    }

    @AfterEach
    void clean() throws IOException {
        try (Stream<Path> s = Files.walk(home)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    protected List<byte[]> dictionary() {
        return List.of(Bytes.ascii("To: "), Bytes.ascii("Cc: "), Bytes.ascii("Bcc: "), Bytes.ascii("From: "),
                Bytes.ascii("Reply-To: "), Bytes.ascii("Resent-To: "), Bytes.ascii("Mail-Followup-To: "),
                Bytes.ascii("Return-Path: "), Bytes.ascii("Content-Length: 5"), Bytes.ascii("\n "),
                Bytes.ascii("\n\n"), Bytes.ascii("("), Bytes.ascii(")"), Bytes.ascii("["), Bytes.ascii("]"),
                Bytes.ascii("group: a, b;"), Bytes.ascii("From "));
    }

    @Override
    protected void fuzz(byte[] input) {
        List<Token822.Token> tokens = Token822.parse(input);
        if (tokens != null) {
            byte[] text = Token822.unparse(tokens, 0);
            List<Token822.Token> again = Token822.parse(text);
            assertTrue(again != null, "token822 output does not parse");
            assertArrayEquals(text, Token822.unparse(again, 0));
        }
        boolean print = input.length > 0 && (input[0] & 1) == 1;
        InjectTest.FakeQq qq = new InjectTest.FakeQq();
        Map<String, byte[]> env = new HashMap<>();
        env.put("USER", Bytes.ascii("djb"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Inject inject = new Inject(new Env(env), home, () -> qq, new ByteArrayInputStream(input), out, err,
                InjectTest.NOW, 12345);
        int code = inject.run(print ? List.of(Bytes.ascii("-n")) : List.of());
        assertTrue(code == 0 || code == 100 || code == 111, "exit " + code + ": " + Bytes.str(err.toByteArray()));
        if (code == 0 && !print) {
            // qmail-inject queues even with no recipients (qmail-inject.c's exitnicely), so only
            // the sender is certain; no address may hold a NUL, which would split its record.
            assertTrue(qq.sender != null && qq.sender.indexOf(0) < 0, "sender");
            for (String r : qq.rcpts) {
                assertTrue(r.indexOf(0) < 0, "NUL in a recipient");
            }
        }
    }
}
