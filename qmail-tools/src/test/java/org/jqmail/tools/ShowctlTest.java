package org.jqmail.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.jqmail.control.Auto;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qmail-showctl against control directories made by hand, golden output. */
class ShowctlTest {
    @TempDir
    Path home;
    Passwd pw;

    @BeforeEach
    void accounts() throws IOException {
        Golden.write(home.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                + "alias:x:7790:2108::/var/qmail/alias:/bin/false\nqmaild:x:7791:2108::/var/qmail:/bin/false\n"
                + "qmaill:x:7792:2108::/var/qmail:/bin/false\nqmailp:x:7793:2108::/var/qmail:/bin/false\n"
                + "qmailq:x:7794:2107::/var/qmail:/bin/false\nqmailr:x:7795:2107::/var/qmail:/bin/false\n"
                + "qmails:x:7796:2107::/var/qmail:/bin/false\n");
        Golden.write(home.resolve("etc/group"), "root:x:0:\nqmail:x:2107:\nnofiles:x:2108:\n");
        pw = new Passwd(home.resolve("etc/passwd"), home.resolve("etc/group"), false);
    }

    private String run(Path qhome, int want) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(want, new Showctl(Auto.load(qhome), pw, out, err).run());
        return out.toString("ISO-8859-1") + err.toString("ISO-8859-1");
    }

    @Test
    void defaultsWithOnlyMe() throws IOException {
        Path q = home.resolve("qmail");
        Golden.write(q.resolve("control/me"), "mail.example.org\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, new Showctl(Auto.load(q), pw, out, new ByteArrayOutputStream()).run());
        Golden.check("showctl-defaults.out",
                out.toString("ISO-8859-1").replace(q.toString(), "QMAILHOME").getBytes("ISO-8859-1"));
    }

    @Test
    void everyKindOfFile() throws IOException {
        Path q = home.resolve("qmail");
        Path c = q.resolve("control");
        Golden.write(c.resolve("me"), "mail.example.org\n");
        Golden.write(c.resolve("badmailfrom"), "spam@example.com\n# comment\n@junk.example\n");
        Golden.write(c.resolve("bouncefrom"), "bounces  \n");
        Golden.write(c.resolve("concurrencylocal"), "5\n");
        Golden.write(c.resolve("concurrencyremote"), "-3\n");
        Golden.write(c.resolve("databytes"), "ten\n");
        Golden.write(c.resolve("defaultdomain"), "example.org\n");
        Golden.write(c.resolve("helohost"), "bad\u0001name\u00e9\n");
        Golden.write(c.resolve("locals"), "localhost\nmail.example.org\n\n");
        Golden.write(c.resolve("rcpthosts"), "example.org\n.example.org\n");
        Golden.write(c.resolve("morercpthosts"), "other.example\n");
        Golden.write(c.resolve("morercpthosts.cdb"), "");
        Files.setLastModifiedTime(c.resolve("morercpthosts"), FileTime.fromMillis(2000000000000L));
        Files.setLastModifiedTime(c.resolve("morercpthosts.cdb"), FileTime.fromMillis(1000000000000L));
        Golden.write(c.resolve("smtproutes"), ":smarthost.example:2525\n");
        Golden.write(c.resolve("virtualdomains"), "lists.example.org:lists\n");
        Golden.write(c.resolve("percenthack"), "example.org\n");
        Golden.write(c.resolve("smtpgreeting"), "");
        Golden.write(c.resolve("timeoutsmtpd"), "600 seconds\n");
        Golden.write(c.resolve("signatures"), "x\n");
        Golden.check("showctl-full.out", run(q, 0).replace(q.toString(), "QMAILHOME").getBytes("ISO-8859-1"));
    }

    @Test
    void qmtproutesAreDescribedOnlyWhenTheFileExists() throws IOException {
        Path q = home.resolve("qmail");
        Golden.write(q.resolve("control/me"), "mail.example.org\n");
        Golden.write(q.resolve("control/smtproutes"), ":smarthost.example\n");
        String without = run(q, 0);
        assertEquals(false, without.contains("qmtproutes"));
        Golden.write(q.resolve("control/qmtproutes"), ":hub.example:209\nexample.org:\n");
        String with = run(q, 0);
        assertEquals(without.replace("\nSMTP route: :smarthost.example\n", "\nSMTP route: :smarthost.example\n"
                + "\nqmtproutes: \nQMTP route: :hub.example:209\nQMTP route: example.org:\n"), with);
    }

    @Test
    void rcpthostsAbsentMakesMorercpthostsIrrelevant() throws IOException {
        Path q = home.resolve("qmail");
        Golden.write(q.resolve("control/morercpthosts"), "a.example\n");
        String s = run(q, 0);
        assertEquals(true, s.contains("\nrcpthosts: (Default.) SMTP clients may send messages to any recipient.\n"
                + "\nmorercpthosts: \nNo rcpthosts; doesn't matter that morercpthosts has a.example.\n"
                + "\nmorercpthosts.cdb: Oops! morercpthosts exists but morercpthosts.cdb doesn't.\n"));
        assertEquals(true, s.contains("\nme: (Default.) My name is undefined! Uh-oh.\n"));
        assertEquals(true, s.contains("\nbouncehost: (Default.) Bounce host name is bouncehost.\n"));
    }

    @Test
    void missingAccountsAndHome() throws IOException {
        pw = new Passwd(home.resolve("etc/none"), home.resolve("etc/group"), false);
        assertEquals("fatal: unable to find user alias\n", run(home.resolve("qmail"), 111));
        accounts();
        String s = run(home.resolve("nowhere"), 111);
        assertEquals(true, s.endsWith("group ids: 2108, 2107.\nOops! Unable to chdir to " + home.resolve("nowhere")
                + ".\n"));
        Files.createDirectories(home.resolve("qmail2"));
        assertEquals(true, run(home.resolve("qmail2"), 111).endsWith("Oops! Unable to chdir to control.\n"));
    }
}
