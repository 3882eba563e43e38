package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator's tools under {@code scripts/run} (issue 14, items 2, 4 and 5): its start line
 * says where postmaster's mail goes; {@code qmailctl stat}, {@code doqueue} and {@code reload}
 * find the daemons it started though nothing supervises them; {@code qmailctl doctor} judges
 * only this installation's daemons while a process named qmail-send of another installation
 * runs under another uid.
 */
@Tag("root")
class RunQmailctlIT {
    private static final Pattern PID = Pattern.compile("qmail-send: up \\(pid (\\d+)\\), not supervised");

    @Test
    void qmailctlDrivesTheDaemonsOfScriptsRunAndDoctorIgnoresOtherInstallations() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "scripts/run as root needs root");
        Path base = Files.createTempDirectory(TestHome.base(), "run-");
        // The daemons run as qmaild, qmails, ... and must reach the prefix inside it.
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path prefix = base.resolve("qmail");
        Path other = base.resolve("other");
        int port = TestHome.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
        env.put("HOME", base.toString());
        ProcessBuilder pb = new ProcessBuilder("bash", TestHome.repoRoot().resolve("scripts/run").toString(),
                "--prefix", prefix.toString(), "--port", Integer.toString(port), "--fqdn", TestHome.FQDN, "--no-archives")
                .redirectErrorStream(true).redirectOutput(base.resolve("run.out").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process run = pb.start();
        Process foreign = null;
        try {
            TestHome.await("scripts/run's start line", () -> {
                if (!run.isAlive()) {
                    throw new AssertionError("scripts/run ended: " + Files.readString(base.resolve("run.out")));
                }
                return Files.readString(base.resolve("run.out")).contains("\nrun: started ");
            }, Duration.ofMinutes(5));
            String out = Files.readString(base.resolve("run.out"));
            String alias = TestHome.exec(List.of("sh", "-c", "getent passwd alias | cut -d: -f6"), null,
                    Duration.ofSeconds(30)).outText().trim();
            assertTrue(out.contains("; postmaster's mail: " + alias + "/Maildir/; Ctrl-C stops\n"), out);
            Path ctl = prefix.resolve("bin/qmailctl");
            String[] last = {""};
            try {
                TestHome.await("qmail-send", () -> {
                    TestHome.Result r = qmailctl(ctl, "stat");
                    last[0] = r.outText() + r.errText();
                    // Only up: doqueue and reload below must wait themselves until its JVM
                    // catches the signals (sent earlier, they would end it).
                    return last[0].contains("qmail-send: up");
                }, Duration.ofMinutes(2));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; qmailctl stat said:\n" + last[0] + "scripts/run said:\n"
                        + Files.readString(base.resolve("run.out")), e);
            }

            TestHome.Result stat = qmailctl(ctl, "stat");
            assertEquals(0, stat.exit(), stat.outText() + stat.errText());
            assertFalse(stat.outText().contains("not supervised. To run"), stat.outText());
            for (String s : List.of("qmail-queued", "qmail-send", "qmail-smtpd")) {
                assertTrue(stat.outText().matches("(?s)(.*\n)?" + s + ": up \\(pid \\d+\\), not supervised .*"), stat.outText());
            }
            Matcher m = PID.matcher(stat.outText());
            assertTrue(m.find());
            long send = Long.parseLong(m.group(1));
            for (String[] c : new String[][] {{"doqueue", "ALRM"}, {"reload", "HUP"}}) {
                TestHome.Result r = qmailctl(ctl, c[0]);
                assertEquals("qmail-send: not supervised; kill -" + c[1] + " " + send + "\n", r.outText(), c[0]);
                assertEquals(0, r.exit(), c[0]);
            }
            assertTrue(ProcessHandle.of(send).map(ProcessHandle::isAlive).orElse(false), "qmail-send survives");

            // A C qmail's qmail-send (here: sleep under that name) in its own home, as nobody.
            Files.createDirectories(other.resolve("bin"));
            Files.createDirectories(other.resolve("queue"));
            Files.copy(Path.of("/bin/sleep"), other.resolve("bin/qmail-send"));
            foreign = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                    other.resolve("bin/qmail-send").toString(), "600").directory(other.resolve("queue").toFile()).start();
            long fpid = foreign.pid();
            TestHome.await("the other qmail-send", () -> Files.readString(Path.of("/proc/" + fpid + "/cmdline"))
                    .startsWith(other.resolve("bin/qmail-send").toString()), Duration.ofSeconds(30));
            TestHome.Result doc = qmailctl(ctl, "doctor");
            assertTrue(doc.outText().contains("info: qmail-send (pid " + fpid + ", running as nobody) belongs to another"
                    + " installation; not checked\n"), doc.outText());
            assertTrue(doc.outText().contains("ok: qmail-send running as qmails (pid " + send + ")\n"), doc.outText());
            assertFalse(doc.outText().contains("PROBLEM: qmail-send"), doc.outText());
        } finally {
            if (foreign != null) {
                foreign.destroyForcibly().waitFor();
            }
            run.destroy();
            run.waitFor();
            TestHome.exec(List.of("rm", "-rf", base.toString()), null, Duration.ofMinutes(1));
        }
    }

    private static TestHome.Result qmailctl(Path ctl, String cmd) throws Exception {
        return TestHome.exec(List.of("env", "-i", "PATH=/usr/bin:/bin", ctl.toString(), cmd), null, Duration.ofMinutes(1));
    }
}
