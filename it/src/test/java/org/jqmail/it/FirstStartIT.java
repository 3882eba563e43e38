package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a new installation does before the administrator has touched anything (issue 14, items
 * 2 and 3): postmaster's mail is delivered into {@code ~alias/Maildir/}, which install made;
 * {@code etc/tcp.smtp.cdb} is compiled by our own tcprules (the same bytes as ucspi-tcp's); the
 * listener with {@code -X} and no rules file serves, and an unreadable rules file stops it at
 * start with one line.
 */
@Tag("root")
class FirstStartIT {
    @Test
    void postmasterMailIsDeliveredIntoTheMaildirInstallMade() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "real users need root");
        try (TestHome home = TestHome.create(); MailSystem sys = new MailSystem(home)) {
            Path md = home.alias().resolve("Maildir");
            assertEquals("alias 700", TestHome.exec(List.of("stat", "-c", "%U %a", md.resolve("new").toString()),
                    null, Duration.ofSeconds(30)).outText().trim());
            // The shared alias account's home may be another installation's: point the
            // alias user at this one, as its passwd entry would on a real machine.
            home.usersAssign("+:alias:" + TestHome.uid("alias") + ":" + TestHome.gid("alias") + ":"
                    + home.alias() + ":-::\n.\n");
            sys.start();
            sys.smtp("someone@example.org", List.of("postmaster@" + TestHome.FQDN), "Subject: hello\n\nfirst\n");
            List<String> mail = MailSystem.awaitMail(md, 1);
            assertTrue(mail.get(0).matches("(?s).*\nDelivered-To: (alias-)?postmaster@" + TestHome.FQDN.replace(".", "\\.") + "\n.*"),
                    mail.get(0));
            assertTrue(mail.get(0).endsWith("\n\nfirst\n"), mail.get(0));
        }
    }

    @Test
    void ourTcprulesWritesWhatUcspiTcpsWrites() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "scripts/install as root needs root");
        try (TestHome home = TestHome.create()) {
            Path etc = home.etc();
            assertTrue(Files.size(etc.resolve("tcp.smtp.cdb")) > 2048);
            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/tcprules")), "ucspi-tcp's tcprules");
            String rules = "# comment\n127.:allow,RELAYCLIENT=\"\"\n10.0.0.250-260:deny\n"
                    + "=mx.Example.ORG:allow,A=/b/,C=\"d e\"  \t\n\nx@1.2.3.:deny,X='y'\nno colon\n:allow\n";
            for (String t : List.of(rules, "", "a:allowx\n", "1.2.3.4:deny,X\n")) {
                byte[] in = t.getBytes(ISO_8859_1);
                TestHome.Result ours = home.run(in, "tcprules", etc.resolve("ours.cdb").toString(),
                        etc.resolve("ours.tmp").toString());
                TestHome.Result theirs = TestHome.exec(List.of("/usr/bin/tcprules", etc.resolve("theirs.cdb").toString(),
                        etc.resolve("theirs.tmp").toString()), in, Duration.ofMinutes(1));
                assertEquals(theirs.exit(), ours.exit(), t);
                assertEquals(theirs.errText(), ours.errText(), t);
                if (theirs.exit() == 0) {
                    assertArrayEquals(Files.readAllBytes(etc.resolve("theirs.cdb")),
                            Files.readAllBytes(etc.resolve("ours.cdb")), t);
                }
            }
        }
    }

    @Test
    void theListenerServesWithoutRulesUnderMinusXAndStopsAtStartOnUnreadableRules() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "real users need root");
        try (TestHome home = TestHome.create(); MailSystem sys = new MailSystem(home)) {
            Path cdb = home.etc().resolve("tcp.smtp.cdb");
            Files.delete(cdb);
            sys.listenerOptions("-X").start();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), sys.port)) {
                s.setSoTimeout(30_000);
                InputStream in = s.getInputStream();
                byte[] b = new byte[4];
                assertEquals(4, in.readNBytes(b, 0, 4));
                assertEquals("220 ", new String(b, ISO_8859_1));
            }
            sys.close();

            // Unreadable: a directory where the cdb should be.
            Files.createDirectory(cdb);
            TestHome.Result r = TestHome.exec(List.of(home.bin("qmail-smtpd-listener").toString(), "-u", "qmaild",
                    "-g", "nofiles", "-x", cdb.toString(), "127.0.0.1", Integer.toString(TestHome.freePort())),
                    null, Duration.ofMinutes(1));
            assertEquals(111, r.exit());
            assertTrue(r.errText().startsWith("qmail-smtpd-listener: fatal: unable to read " + cdb + ": "), r.errText());
            assertEquals(1, r.errText().split("\n").length, r.errText());
        }
    }
}
