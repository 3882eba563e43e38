package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jqmail.control.Auto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * scripts/install run as root: the accounts and the tree of doc/ARCHITECTURE.md §4 and
 * doc/QUEUE.md §1 with every owner, group and mode (InstallTree), config-fast's control files,
 * working launchers with their class-data archive, and a second run that changes nothing and keeps
 * edited files.
 */
@Tag("root")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallIT {
    private TestHome home;

    @BeforeAll
    void install() throws IOException {
        Assumptions.assumeTrue(TestHome.isRoot(), "scripts/install as root needs root");
        home = TestHome.create(true);
    }

    @AfterAll
    void cleanup() throws IOException {
        if (home != null) {
            home.close();
        }
    }

    private String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), ISO_8859_1);
    }

    @Test
    void accountsExistWithQmailsPrimaryGroups() throws IOException {
        for (String g : List.of("qmail", "nofiles")) {
            assertEquals(0, TestHome.exec(List.of("getent", "group", g), null, Duration.ofSeconds(30)).exit(), g);
        }
        Map<String, String> primary = Map.of("alias", "nofiles", "qmaild", "nofiles", "qmaill", "nofiles",
                "qmailp", "nofiles", "qmailq", "qmail", "qmailr", "qmail", "qmails", "qmail");
        for (Map.Entry<String, String> e : primary.entrySet()) {
            TestHome.Result r = TestHome.exec(List.of("id", "-gn", e.getKey()), null, Duration.ofSeconds(30));
            assertEquals(0, r.exit(), e.getKey() + ": " + r.errText());
            assertEquals(e.getValue(), r.outText().trim(), e.getKey());
        }
    }

    @Test
    void everyPathHasItsOwnerGroupAndMode() throws IOException {
        InstallTree.check(InstallTree.list(home.prefix()), Auto.DEFAULT_SPLIT, role -> role, "qmail");
    }

    @Test
    void queueLockFilesAreAsQmailMakesThem() throws IOException {
        Path lock = home.queue().resolve("lock");
        assertArrayEquals(new byte[1024], Files.readAllBytes(lock.resolve("tcpto")));
        assertEquals(0, Files.size(lock.resolve("sendmutex")));
        assertEquals("p", InstallTree.list(lock).get("trigger").type() + "");
        assertEquals("split=23", "split=" + Auto.load(home.prefix()).split());
    }

    @Test
    void controlFilesComeFromTheHostNameAsConfigFastWritesThem() throws IOException {
        for (String c : List.of("me", "locals", "rcpthosts", "defaultdomain", "plusdomain")) {
            assertEquals("test.example\n", read(home.control().resolve(c)), c);
        }
        try (TestHome three = TestHome.create(false, "--fqdn", "mx.mail.example.org")) {
            assertEquals("mx.mail.example.org\n", read(three.control().resolve("me")));
            assertEquals("mx.mail.example.org\n", read(three.control().resolve("rcpthosts")));
            assertEquals("mail.example.org\n", read(three.control().resolve("defaultdomain")));
            assertEquals("example.org\n", read(three.control().resolve("plusdomain")));
        }
    }

    @Test
    void aliasAddressesAndSmtpRulesAreInPlace() throws IOException {
        for (String a : List.of("postmaster", "root", "mailer-daemon")) {
            assertEquals(0, Files.size(home.alias().resolve(".qmail-" + a)), a);
        }
        assertEquals("127.:allow,RELAYCLIENT=\"\"\n:allow\n", read(home.etc().resolve("tcp.smtp")));
        assertTrue(Files.size(home.etc().resolve("tcp.smtp.cdb")) > 2048);
        Auto auto = Auto.load(home.prefix());
        assertEquals("alias", auto.user(Auto.ALIAS));
        assertTrue(!auto.singleUser());
    }

    @Test
    void serviceRunFilesStartTheDaemonsTheDaemontoolsWay() throws IOException {
        Path s = home.service();
        String p = home.prefix().toString();
        assertEquals("#!/bin/sh\n# qmail-start becomes qmail-send; ./Maildir/ is the default delivery.\n"
                + "exec env - PATH=\"" + p + "/bin:$PATH\" qmail-start ./Maildir/ 2>&1\n",
                read(s.resolve("qmail-send/run")));
        assertTrue(read(s.resolve("qmail-smtpd/run")).contains("\nexec " + p
                + "/bin/qmail-smtpd-listener -u qmaild -g nofiles -x " + p + "/etc/tcp.smtp.cdb 0 25 2>&1\n"));
        assertTrue(read(s.resolve("qmail-smtpd/run")).contains("\n# exec tcpserver "));
        assertTrue(read(s.resolve("qmail-queued/run")).contains("\nexec env - PATH=\"" + p
                + "/bin:$PATH\" qmail-queued 2>&1\n"));
        assertEquals("#!/bin/sh\nexec env - PATH=\"" + p + "/bin:/usr/bin:/bin\" \\\n"
                + "tcpserver -v -R -H -l 0 0 110 \\\n"
                + p + "/bin/qmail-popup \"`sed 1q " + p + "/control/me`\" \\\n"
                + p + "/bin/checkpassword " + p + "/bin/qmail-pop3d Maildir 2>&1\n", read(s.resolve("qmail-pop3d/run")));
        assertEquals("#!/bin/sh\nexec env - PATH=\"" + p + "/bin:/usr/bin:/bin\" POP3S=1 \\\n"
                + "tcpserver -v -R -H -l 0 0 995 \\\n"
                + p + "/bin/qmail-popup \"`sed 1q " + p + "/control/me`\" \\\n"
                + p + "/bin/checkpassword " + p + "/bin/qmail-pop3d Maildir 2>&1\n", read(s.resolve("qmail-pop3s/run")));
        String ids = "-u \"$(id -u qmaild)\" -g \"$(getent group nofiles | cut -d: -f3)\" ";
        assertEquals("#!/bin/sh\nexec env - PATH=\"" + p + "/bin:/usr/bin:/bin\" \\\n"
                + "tcpserver -v -R -H -l 0 " + ids + "-x " + p + "/etc/tcp.smtp.cdb 0 209 \\\n"
                + p + "/bin/qmail-qmtpd 2>&1\n", read(s.resolve("qmail-qmtpd/run")));
        assertEquals("#!/bin/sh\nexec env - PATH=\"" + p + "/bin:/usr/bin:/bin\" \\\n"
                + "tcpserver -v -R -H -l 0 " + ids + "-x " + p + "/etc/tcp.qmqp.cdb 0 628 \\\n"
                + p + "/bin/qmail-qmqpd 2>&1\n", read(s.resolve("qmail-qmqpd/run")));
        assertEquals("127.0.0.1:allow\n:deny\n", read(home.etc().resolve("tcp.qmqp")));
        for (String d : List.of("qmail-send", "qmail-smtpd", "qmail-queued", "qmail-pop3d", "qmail-pop3s",
                "qmail-qmtpd", "qmail-qmqpd")) {
            assertEquals("#!/bin/sh\nexec setuidgid qmaill multilog t ./main\n", read(s.resolve(d + "/log/run")));
        }
    }

    @Test
    void launcherRunsTheProgramWithItsArchiveAndNothingElseOnItsOutput() throws IOException {
        assertTrue(home.has("qmail-newmrh"));
        TestHome.Result r = home.run(null, "qmail-newmrh");
        assertEquals(111, r.exit());
        assertEquals("", r.outText());
        assertEquals("qmail-newmrh: fatal: unable to read control/morercpthosts: file does not exist\n",
                r.errText());
        // A tool gets the JDK's default archive; the short-lived programs of a group share one.
        try (var cds = Files.list(home.lib().resolve("cds"))) {
            List<String> names = cds.map(f -> f.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(f -> f.matches("qmail-inject\\.(aot|jsa)")), names.toString());
            assertTrue(names.stream().noneMatch(f -> f.startsWith("qmail-newmrh.")), names.toString());
        }
        assertTrue(read(home.bin("predate")).matches("(?s).*(SharedArchiveFile|AOTCache)=[^']*/lib/cds/qmail-inject\\.(aot|jsa)'.*"));
        assertTrue(!read(home.bin("qmail-newmrh")).matches("(?s).*(SharedArchiveFile|AOTCache)=.*"));
        String launcher = read(home.bin("qmail-newmrh"));
        assertTrue(launcher.contains("-Dqmail.home=" + home.prefix()));
        assertTrue(launcher.matches("(?s).*'-XX:TieredStopAtLevel=1' '-XX:\\+Use(Serial|G1)GC'.*"), launcher);
        assertTrue(!launcher.contains("export") && launcher.contains("\nexec "));
    }

    @Test
    void aStaleArchiveOrAVanishedJavaIsNoFailure() throws IOException {
        Path bin = home.dir().resolve("stale-bin");
        Files.createDirectories(bin);
        String launcher = read(home.bin("qmail-inject"));
        // An archive that is not one: the JVM must ignore it silently.
        Path junk = home.dir().resolve("junk.archive");
        Files.write(junk, "not an archive".getBytes(ISO_8859_1));
        String stale = launcher.replaceAll("(SharedArchiveFile|AOTCache)=[^']*", "$1=" + junk);
        assertTrue(stale.contains(junk.toString()), launcher);
        // A JDK that has gone: lib/java finds another one.
        String gone = launcher.replaceAll("'/[^']*/bin/java'", "'/nonexistent/jdk/bin/java'");
        byte[] msg = "To: joe@example.com\nSubject: stale\n\nbody\n".getBytes(ISO_8859_1);
        for (String text : List.of(stale, gone)) {
            Path l = bin.resolve("qmail-inject");
            Files.write(l, text.getBytes(ISO_8859_1));
            l.toFile().setExecutable(true);
            TestHome.Result r = home.run(msg, l.toString(), "-n");
            assertEquals("", r.errText());
            assertEquals(0, r.exit());
            assertTrue(r.outText().contains("Subject: stale\n\nbody\n"), r.outText());
        }
    }

    @Test
    void everyJavaGetsItsKindOfArchive() throws IOException {
        try (var jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            for (Path jdk : jvms.filter(j -> Files.isExecutable(j.resolve("bin/java"))
                    && !Files.isSymbolicLink(j)).toList()) {
                String major = TestHome.exec(List.of(TestHome.repoRoot().resolve("scripts/java").toString(),
                        "--major", jdk.resolve("bin/java").toString()), null, Duration.ofSeconds(30)).outText().trim();
                if (major.isEmpty() || Integer.parseInt(major) < 17) {
                    continue;
                }
                String ext = Integer.parseInt(major) >= 25 ? "aot" : "jsa";
                try (TestHome h = TestHome.create(true, "--java", jdk.toString())) {
                    assertTrue(Files.size(h.lib().resolve("cds/qmail-inject." + ext)) > 0, jdk.toString());
                    assertTrue(read(h.bin("predate")).contains("exec '" + jdk.toRealPath() + "/bin/java'"));
                    TestHome.Result r = h.run(null, "predate", "echo", "trained");
                    assertEquals("", r.errText(), jdk.toString());
                    assertEquals(0, r.exit(), jdk.toString());
                    assertEquals("trained\n", r.outText(), jdk.toString());
                }
            }
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void secondRunChangesNothingAndKeepsEditedFiles() throws IOException {
        home.control("locals", "test.example\nother.example\n");
        Path pm = home.alias().resolve(".qmail-postmaster");
        Files.write(pm, "&admin@example.org\n".getBytes(ISO_8859_1));
        Map<String, InstallTree.Entry> before = InstallTree.list(home.prefix());
        TestHome.Result r = TestHome.exec(List.of("bash", TestHome.installScript().toString(), "--prefix",
                home.prefix().toString(), "--fqdn", TestHome.FQDN), null, Duration.ofMinutes(5));
        assertEquals(0, r.exit(), r.errText());
        Map<String, InstallTree.Entry> after = InstallTree.list(home.prefix());
        assertEquals(String.join("\n", before.values().stream().map(Object::toString).toList()),
                String.join("\n", after.values().stream().map(Object::toString).toList()));
        assertEquals("test.example\nother.example\n", read(home.control().resolve("locals")));
        assertEquals("test.example\n", read(home.control().resolve("me")));
        assertEquals("&admin@example.org\n", read(pm));
    }
}
