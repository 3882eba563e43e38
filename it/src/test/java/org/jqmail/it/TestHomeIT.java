package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shared test support itself: processes by pid, polling, users, cleanup. */
class TestHomeIT {
    @Test
    void startCapturesOutputAndStopEndsExactlyThatProcess() throws Exception {
        Path dir;
        TestHome.Proc sleeper;
        try (TestHome home = TestHome.create()) {
            dir = home.dir();
            assertEquals("test.example\n", new String(Files.readAllBytes(home.control().resolve("me")), ISO_8859_1));
            assertTrue(home.has("qmail-newmrh"));
            assertFalse(home.has("no-such-program"));

            TestHome.Proc p = home.start(Map.of("PATH", "/usr/bin:/bin", "X", "y"),
                    "/bin/sh", "-c", "echo out $X; echo err >&2; pwd; exec sleep 1000");
            TestHome.await("output", () -> p.out().contains(home.prefix() + "\n"), Duration.ofSeconds(10));
            assertEquals("out y\n" + home.prefix() + "\n", p.out());
            assertEquals("err\n", p.err());
            assertEquals(143, home.stop(p));
            assertFalse(p.alive());

            home.control("databytes", "1000\n");
            assertEquals("rw-r--r--", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(home.control().resolve("databytes"))));
            assertEquals(home.has("qmail-newu"), home.usersAssign("=x:alias:1:2:/nonexistent:::\n.\n"));
            assertTrue(Files.exists(home.users().resolve("assign")));

            TestHome.Result r = home.run(null, "qmail-newmrh");
            assertEquals(111, r.exit());

            sleeper = home.start("/bin/sleep", "1000");
        }
        assertFalse(sleeper.alive(), "close() stops what was started");
        assertFalse(Files.exists(dir, LinkOption.NOFOLLOW_LINKS), "close() deletes the directory");
    }

    @Test
    void awaitFailsAfterItsDeadline() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> TestHome.await("never", () -> false, Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("never"));
    }

    @Test
    @Tag("root")
    void ensureUserMakesALoginUserWithATraversableHome() throws IOException {
        Path home = TestHome.ensureUser("jqmailtest1");
        assertEquals(home, TestHome.ensureUser("jqmailtest1"));
        assertTrue(Files.isDirectory(home));
        assertEquals("jqmailtest1", Files.getOwner(home).getName());
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
        assertTrue(TestHome.uid("jqmailtest1") > 0);
        TestHome.Result r = TestHome.exec(List.of("getent", "passwd", "jqmailtest1"), null, Duration.ofSeconds(30));
        assertTrue(r.outText().trim().endsWith(":" + home + ":/bin/sh"), r.outText());
    }
}
