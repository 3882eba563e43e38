package org.jqmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jqmail.io.Bytes;
import org.jqmail.io.fuzz.FuzzTarget;
import org.junit.jupiter.api.AfterEach;

/**
 * A whole SMTP session of qmail-smtpd on any client bytes (commands, addresses, DATA): every
 * reply is a well-formed reply line, no internal error shows as {@code 421 out of memory}
 * (the session's answer to any RuntimeException, which would hide a crash), and every queued
 * message has a sender and at least one recipient, none holding a NUL (which would split its
 * envelope record).
 */
class SmtpdFuzzTest extends FuzzTarget {
    private static final Pattern REPLY = Pattern.compile("[2-5][0-9][0-9][ -][^\r\n]*\r\n");
    private final Path home;

    SmtpdFuzzTest() throws IOException {
        super("smtp-session");
        home = Files.createTempDirectory("smtpdfuzz");
        Path control = Files.createDirectories(home.resolve("control"));
        Files.writeString(control.resolve("me"), "mx.example\n");
        Files.writeString(control.resolve("rcpthosts"), "mx.example\n.sub.example\n");
        Files.writeString(control.resolve("badmailfrom"), "bad@example.com\n@spam.example\n");
        Files.writeString(control.resolve("databytes"), "2000\n");
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
        return List.of(Bytes.ascii("HELO x\r\n"), Bytes.ascii("EHLO x\r\n"), Bytes.ascii("MAIL FROM:<a@b>\r\n"),
                Bytes.ascii("RCPT TO:<u@mx.example>\r\n"), Bytes.ascii("DATA\r\n"), Bytes.ascii("\r\n.\r\n"),
                Bytes.ascii("RSET\r\n"), Bytes.ascii("QUIT\r\n"), Bytes.ascii("MAIL FROM:"), Bytes.ascii("RCPT TO:"),
                Bytes.ascii("<@route:"), Bytes.ascii("@[127.0.0.1]"), Bytes.ascii("\r\n..\r\n"),
                Bytes.ascii("Received: x\r\n"), Bytes.ascii("Delivered-To: x\r\n"), Bytes.ascii(" SIZE=99999"));
    }

    private static boolean noNul(byte[] b) {
        for (byte c : b) {
            if (c == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void fuzz(byte[] input) {
        Map<String, String> env = new HashMap<>();
        env.put("TCPREMOTEIP", "192.0.2.7");
        env.put("TCPLOCALIP", "192.0.2.1");
        if (input.length > 0 && (input[0] & 1) == 1) {
            env.put("RELAYCLIENT", "");
        }
        FakeQmail qq = new FakeQmail();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Conn conn = new Conn(new ByteArrayInputStream(input), out, sec -> { }, null, null);
        int exit = new Smtpd(home, env, conn, qq, () -> 810362814L).run();
        assertTrue(exit == 0 || exit == 1, "exit " + exit);
        String replies = new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
        assertTrue(!replies.contains("421 out of memory"), replies);
        assertTrue(REPLY.matcher(replies).replaceAll("").isEmpty(), replies);
        if (qq.closed && !qq.failed) {
            assertTrue(qq.sender != null && !qq.recipients.isEmpty(), "queued without an envelope");
            assertTrue(noNul(qq.sender), "NUL in the sender");
            for (byte[] r : qq.recipients) {
                assertTrue(noNul(r), "NUL in a recipient");
            }
        }
    }
}
