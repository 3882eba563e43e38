package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * scripts/install on a host whose name has no dot (issue 14, item 1): the defaults it writes
 * keep every form of a local address local ({@code user}, {@code user@HOST}, {@code user@HOST.}
 * through {@code sendmail -t}) with no remote delivery, and a later {@code --fqdn} rewrites the
 * defaults install wrote but never a file the administrator edited.
 */
@Tag("root")
class DotlessHostIT {
    private static final String HOST = "jqdotless";

    private static String read(Path p) throws Exception {
        return new String(Files.readAllBytes(p), ISO_8859_1);
    }

    @Test
    void everyFormOfALocalAddressIsDeliveredLocally() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "real users need root");
        try (TestHome home = TestHome.create(false, "--fqdn", HOST); MailSystem sys = new MailSystem(home)) {
            assertEquals("localdomain\n", read(home.control().resolve("defaultdomain")));
            assertEquals(HOST + "\n" + HOST + ".localdomain\n", read(home.control().resolve("locals")));
            // newbie is the alias user: no login account to create or remove.
            Path md = home.alias().resolve("newbie");
            MailSystem.maildir("alias", md);
            home.usersAssign("=newbie:alias:" + TestHome.uid("alias") + ":" + TestHome.gid("alias") + ":"
                    + home.alias() + ":::\n.\n");
            MailSystem.dotQmail("alias", home.alias(), ".qmail", "./newbie/\n");
            sys.start();
            List<String> forms = List.of("newbie", "newbie@" + HOST, "newbie@" + HOST + ".");
            for (String to : forms) {
                TestHome.Result r = TestHome.exec(List.of("env", "-i", "PATH=/usr/bin:/bin", "USER=root",
                        home.bin("sendmail").toString(), "-t"),
                        ("To: " + to + "\nSubject: to " + to + "\n\nhello\n").getBytes(ISO_8859_1), Duration.ofMinutes(1));
                assertEquals("", r.errText());
                assertEquals(0, r.exit());
            }
            List<String> mail = MailSystem.awaitMail(md, forms.size());
            sys.awaitIdle();
            assertEquals(forms.size(), mail.size());
            for (String m : mail) {
                assertTrue(m.startsWith("Return-Path: <root@" + HOST + ".localdomain>\nDelivered-To: newbie@"
                        + HOST + ".localdomain\n"), m);
            }
            List<String> log = sys.log();
            assertEquals(forms.size(), log.stream().filter(l -> l.matches(
                    "starting delivery \\d+: msg \\d+ to local newbie@" + HOST + "\\.localdomain")).count(),
                    String.join("\n", log));
            assertTrue(log.stream().noneMatch(l -> l.contains(" to remote ")), String.join("\n", log));
        }
    }

    @Test
    void fqdnRewritesInstallsDefaultsButNotEditedFiles() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "scripts/install as root needs root");
        try (TestHome home = TestHome.create(false, "--fqdn", HOST)) {
            home.control("rcpthosts", HOST + "\nrelay.example\n");
            TestHome.Result r = install(home, "mx.mail.example.org");
            assertEquals(0, r.exit(), r.errText());
            assertTrue(!r.errText().contains("control/"), r.errText());
            assertEquals("mx.mail.example.org\n", read(home.control().resolve("me")));
            assertEquals("mx.mail.example.org\n", read(home.control().resolve("locals")));
            assertEquals("mail.example.org\n", read(home.control().resolve("defaultdomain")));
            assertEquals("example.org\n", read(home.control().resolve("plusdomain")));
            assertEquals(HOST + "\nrelay.example\n", read(home.control().resolve("rcpthosts")));
            assertTrue(r.outText().contains("install: rewrote control/me for mx.mail.example.org"), r.outText());
            assertTrue(!r.outText().contains("control/rcpthosts"), r.outText());

            // An installation older than lib/defaults wrote config-fast's defaults from the
            // name: all five files the bare name. They count as install's too.
            for (String c : List.of("me", "locals", "rcpthosts", "defaultdomain", "plusdomain")) {
                home.control(c, HOST + "\n");
                Files.delete(home.lib().resolve("defaults").resolve(c));
            }
            r = install(home, HOST);
            assertEquals(0, r.exit(), r.errText());
            assertTrue(r.outText().contains("install: host name " + HOST + " has no dot: "), r.outText());
            assertEquals(HOST + "\n", read(home.control().resolve("me")));
            assertEquals(HOST + "\n" + HOST + ".localdomain\n", read(home.control().resolve("rcpthosts")));
            assertEquals("localdomain\n", read(home.control().resolve("plusdomain")));
        }
    }

    private static TestHome.Result install(TestHome home, String fqdn) throws Exception {
        return TestHome.exec(List.of("bash", TestHome.installScript().toString(), "--prefix",
                home.prefix().toString(), "--no-archives", "--fqdn", fqdn), null, Duration.ofMinutes(10));
    }
}
