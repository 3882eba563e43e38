package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Debian's bsd-mailx, pointed at a {@code sendmail} symlink to {@code bin/sendmail} (as
 * {@code /usr/sbin/sendmail} would be), sends a message that arrives in a local Maildir.
 *
 * <p>bsd-mailx depends on an MTA package, so installing it would also install exim4 and its
 * {@code /usr/sbin/sendmail}. The test therefore takes the packages' files only
 * ({@code apt-get download} and {@code dpkg-deb -x} into a scratch directory), unless a
 * {@code bsd-mailx} is already installed, and changes nothing outside that directory.
 */
@Tag("root")
class MailxIT {
    static Path mailx;
    static Path libs;

    @BeforeAll
    static void setUp() throws Exception {
        InjectIT.system();
        Path tools = InjectIT.home.dir().resolve("mailx");
        Files.createDirectories(tools);
        if (Files.isExecutable(Path.of("/usr/bin/bsd-mailx"))) {
            mailx = Path.of("/usr/bin/bsd-mailx");
        } else {
            TestHome.Result r = TestHome.exec(List.of("sh", "-c", "cd " + tools + " && apt-get download bsd-mailx"
                    + " liblockfile1 && for d in *.deb; do dpkg-deb -x \"$d\" root; done"), null, Duration.ofMinutes(5));
            Assumptions.assumeTrue(r.exit() == 0, "cannot fetch bsd-mailx: " + r.errText());
            mailx = tools.resolve("root/usr/bin/bsd-mailx");
            libs = tools.resolve("root/usr/lib/x86_64-linux-gnu");
        }
        TestHome.exec(List.of("chmod", "-R", "a+rX", tools.toString()), null, Duration.ofSeconds(30));
        Files.createSymbolicLink(tools.resolve("sendmail"), InjectIT.home.bin("sendmail"));
        Files.writeString(tools.resolve("mailrc"), "set sendmail=" + tools.resolve("sendmail") + "\n");
    }

    @AfterAll
    static void tearDown() throws Exception {
        InjectIT.down();
    }

    @Test
    void mailxThroughTheSendmailSymlinkDeliversLocally() throws Exception {
        Path tools = InjectIT.home.dir().resolve("mailx");
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=" + InjectIT.USER,
                "--regid=" + TestHome.gid(InjectIT.USER), "--init-groups", "env", "-i",
                "HOME=" + InjectIT.userHome, "USER=" + InjectIT.USER, "PATH=/usr/bin:/bin",
                "MAILRC=" + tools.resolve("mailrc")));
        if (libs != null) {
            cmd.add("LD_LIBRARY_PATH=" + libs);
        }
        cmd.addAll(List.of(mailx.toString(), "-s", "sent by mailx", InjectIT.USER));
        TestHome.Result r = TestHome.exec(cmd, "hello from mailx\n".getBytes(StandardCharsets.US_ASCII),
                Duration.ofMinutes(1));
        assertEquals(0, r.exit(), r.errText());
        String m = InjectIT.waitForMessage(InjectIT.userHome.resolve("Maildir"), "Subject: sent by mailx");
        assertTrue(m.contains("\nhello from mailx\n"), m);
        assertTrue(m.contains("From: jqinject@test.example"), m);
    }
}
