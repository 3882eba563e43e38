package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.jqmail.io.Spawn;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.WaitStatus;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * QueueClient's {@code QMAILQUEUE} path (qmail.c): the program, named relative to QMAILHOME,
 * runs in QMAILHOME with the message on fd 0, the envelope on fd 1 and the error channel on
 * fd 6, and its exit code and fd 6 text become qmail_close's status. The stand-in qmail-queue
 * is a shell script that records what it got.
 */
class QueueClientExecIT {
    private static final String FAKE_QQ = "#!/bin/sh\n"
            + "cat > \"$OUT/msg\"\n"
            + "cat <&1 > \"$OUT/env\"\n"
            + "pwd > \"$OUT/cwd\"\n"
            + "printf '%s' \"$TEXT\" >&6\n"
            + "exit \"$CODE\"\n";

    @TempDir
    Path home;
    @TempDir
    Path out;

    @ParameterizedTest(name = "exit {0}")
    @CsvSource(delimiter = '|', value = {
        "0  | ''                   | status=",
        "82 | Dno thanks (#5.0.0)  | status=Dno thanks (#5.0.0)",
        "82 | x                    | status=Zqq temporary problem (#4.3.0)",
        "31 | ''                   | status=Dmail server permanently rejected message (#5.3.0)",
    })
    void messageEnvelopeAndStatusCrossTheFdMap(int code, String text, String status)
            throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path qq = Files.writeString(bin.resolve("qq-fake"), FAKE_QQ);
        Files.setPosixFilePermissions(qq, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> argv = ChildJvm.argv(QueueClientChild.class, home.toString());
        Spawn child = new Spawn(Nat.posix(), argv.get(0), argv)
                .env(List.of("QMAILQUEUE=bin/qq-fake", "OUT=" + out, "CODE=" + code, "TEXT=" + text,
                        "PATH=/usr/bin:/bin"))
                .pipeFrom(1).pipeFrom(2);
        String[] got = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            child.start();
            String o1 = read(child.from(1));
            String o2 = read(child.from(2));
            assertEquals(new WaitStatus(0), child.waitFor(), o2);
            return new String[] {o1, o2};
        });
        assertEquals(status + "\n", got[0], got[1]);
        assertArrayEquals("Subject: hi\n\nbody\n\0\u00ff".getBytes(StandardCharsets.ISO_8859_1),
                Files.readAllBytes(out.resolve("msg")));
        assertArrayEquals("Fa@b\0Tc@d\0Te@f\0\0".getBytes(StandardCharsets.ISO_8859_1),
                Files.readAllBytes(out.resolve("env")));
        assertEquals(home.toRealPath() + "\n", Files.readString(out.resolve("cwd")));
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readNBytes(1 << 20), StandardCharsets.ISO_8859_1);
        }
    }
}
