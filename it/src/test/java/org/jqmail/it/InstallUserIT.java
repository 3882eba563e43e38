package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jqmail.control.Auto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * scripts/install run by an ordinary user (as root: {@code nobody}, through setpriv): no
 * accounts, one warning, {@code lib/auto} mapping every role to that user with
 * {@code singleuser=1}, the same tree owned by that user, working launchers, and a second run
 * that changes nothing.
 */
class InstallUserIT {
    private Path dir;
    private Path prefix;
    private String user;
    private String group;
    private List<String> as;

    @BeforeEach
    void scratch() throws IOException {
        dir = Files.createTempDirectory(TestHome.base(), "user-");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        prefix = dir.resolve("qmail");
        if (TestHome.isRoot()) {
            user = "nobody";
            group = TestHome.exec(List.of("id", "-gn", user), null, Duration.ofSeconds(30)).outText().trim();
            as = List.of("setpriv", "--reuid=" + user, "--regid=" + group, "--clear-groups");
            assertEquals(0, TestHome.exec(List.of("chown", user + ":" + group, dir.toString()), null,
                    Duration.ofSeconds(30)).exit());
        } else {
            user = System.getProperty("user.name");
            group = TestHome.exec(List.of("id", "-gn"), null, Duration.ofSeconds(30)).outText().trim();
            as = List.of();
        }
    }

    @AfterEach
    void cleanup() throws IOException {
        TestHome.exec(List.of("rm", "-rf", dir.toString()), null, Duration.ofMinutes(1));
    }

    private TestHome.Result asUser(String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(as);
        cmd.addAll(Arrays.asList(argv));
        return TestHome.exec(cmd, null, Duration.ofMinutes(10));
    }

    private TestHome.Result install() throws IOException {
        return asUser("bash", TestHome.installScript().toString(), "--prefix", prefix.toString(),
                "--fqdn", "user.example");
    }

    @Test
    void ordinaryUserGetsAPrivateSingleUserInstallation() throws IOException {
        TestHome.Result r = install();
        assertEquals(0, r.exit(), r.errText());
        List<String> warnings = r.errText().lines().filter(l -> !l.startsWith("install: skipping ")).toList();
        assertEquals(List.of("install: warning: not run as root: every qmail account is " + user + " (group "
                + group + "), no privilege separation"), warnings);

        Auto auto = Auto.load(prefix);
        assertTrue(auto.singleUser());
        for (String role : List.of(Auto.ALIAS, Auto.QMAILD, Auto.QMAILL, Auto.ROOT, Auto.QMAILP, Auto.QMAILQ,
                Auto.QMAILR, Auto.QMAILS)) {
            assertEquals(user, auto.user(role), role);
        }
        assertEquals(group, auto.group(Auto.NOFILES));
        assertEquals(group, auto.group(Auto.QMAIL));

        Map<String, InstallTree.Entry> listing = InstallTree.list(prefix);
        InstallTree.check(listing, Auto.DEFAULT_SPLIT, role -> user, group);
        assertEquals("#!/bin/sh\nexec multilog t ./main\n", read(prefix.resolve("service/qmail-send/log/run")));
        assertTrue(read(prefix.resolve("service/qmail-smtpd/run")).contains(
                "\nexec " + prefix + "/bin/qmail-smtpd-listener -x " + prefix + "/etc/tcp.smtp.cdb 127.0.0.1 2525 2>&1\n"));

        Files.write(prefix.resolve("control/morercpthosts"), "One.Example\n".getBytes(ISO_8859_1));
        TestHome.exec(List.of("chown", user, prefix.resolve("control/morercpthosts").toString()), null,
                Duration.ofSeconds(30));
        TestHome.Result mrh = asUser(prefix.resolve("bin/qmail-newmrh").toString());
        assertEquals(0, mrh.exit(), mrh.errText());
        assertEquals("", mrh.errText());
        assertTrue(Files.exists(prefix.resolve("control/morercpthosts.cdb")));

        Map<String, InstallTree.Entry> before = InstallTree.list(prefix);
        TestHome.Result again = install();
        assertEquals(0, again.exit(), again.errText());
        assertEquals(before, InstallTree.list(prefix));
    }

    private static String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), ISO_8859_1);
    }
}
