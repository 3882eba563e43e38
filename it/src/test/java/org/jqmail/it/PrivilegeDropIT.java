package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jqmail.io.Errors;
import org.jqmail.io.Prot;
import org.jqmail.io.Spawn;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;
import org.jqmail.io.nat.WaitStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Prot#drop} in a multi-threaded JVM: glibc's setxid broadcast must carry the new
 * identity to every thread (GC, compiler, the test's own), in all four positions (real,
 * effective, saved, filesystem), with only the target group, and root must be gone for good.
 * A thread left behind as root would defeat the privilege separation of every daemon.
 */
@Tag("root")
class PrivilegeDropIT {
    private static final Posix PX = Nat.posix();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"groups", "initgroups"})
    void everyThreadDropsAndRootCannotBeRegained(String variant) throws IOException {
        assumeTrue(PX.geteuid() == 0, "PrivilegeDropIT needs root: it drops a child JVM to nobody");
        String uid = Integer.toString(PX.getpwnam("nobody").uid());
        String gid = Integer.toString(PX.getgrnam("nogroup").gid());
        List<String> argv = ChildJvm.argv(DropChild.class, variant);
        Spawn child = new Spawn(PX, argv.get(0), argv).pipeFrom(1).pipeFrom(2).cwd("/");
        String[] out = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            child.start();
            String o1 = read(child.from(1));
            String o2 = read(child.from(2));
            WaitStatus ws = child.waitFor();
            assertEquals(new WaitStatus(0), ws, o2);
            return new String[] {o1, o2};
        });
        String report = out[0];
        System.out.print("threads after the drop (" + variant + "):\n" + report);
        String ids = " " + uid + " " + uid + " " + uid + " " + uid;
        String gids = " " + gid + " " + gid + " " + gid + " " + gid;
        int tasks = 0;
        for (String line : report.split("\n")) {
            if (line.startsWith("task ")) {
                tasks++;
                assertTrue(line.contains(" | Uid:" + ids + " | Gid:" + gids + " | Groups: " + gid),
                        line);
                assertTrue(line.endsWith(" | Groups: " + gid), line);
            }
        }
        // main, the extra threads, and the JVM's own (GC, compiler, reference handler, ...).
        assertTrue(tasks >= 10, "only " + tasks + " threads:\n" + report);
        int eperm = Errors.EPERM;
        assertTrue(report.contains("regain setuid errno " + eperm + "\n"), report);
        assertTrue(report.contains("regain setuid-other-thread errno " + eperm + "\n"), report);
        assertTrue(report.contains("regain setgroups errno " + eperm + "\n"), report);
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readNBytes(1 << 20), StandardCharsets.ISO_8859_1);
        }
    }
}
