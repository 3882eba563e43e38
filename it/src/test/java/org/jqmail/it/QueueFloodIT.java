package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Threat: the queue socket is open to every local user (as the setuid qmail-queue was), and
 * before per-uid limits one user holding a few hundred idle connections to qmail-queued made
 * every other submission fail (SMTP {@code 451}, qmail-inject exit 111) for as long as it
 * held them. Here {@code nobody} holds 400 connections ({@link QueueHolder}: silent, one
 * byte, a header and then silence, each reopened as soon as the server lets it go) while
 * another user's {@code qmail-inject} and an SMTP message are both queued and delivered; the
 * deadline is a liveness bound, not a speed assertion. The attacker's connections beyond its
 * limit are refused at once with 71, and the qp and uid that qmail-send logs for the
 * qmail-inject message are the kernel's: qmail-inject's own pid and the user's uid.
 */
@Tag("root")
class QueueFloodIT {
    static final String USER = "jqflood";
    static final Duration LIVENESS = Duration.ofSeconds(60);

    @Test
    void nobodyHoldingFourHundredConnectionsStopsNeitherInjectNorSmtp() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: real users");
        try (TestHome home = TestHome.create()) {
            Path userHome = TestHome.ensureUser(USER);
            MailSystem.emptyHome(userHome);
            Path maildir = userHome.resolve("Maildir");
            MailSystem.maildir(USER, maildir);
            int uid = TestHome.uid(USER);
            int gid = TestHome.gid(USER);
            home.usersAssign("=" + USER + ":" + USER + ":" + uid + ":" + gid + ":" + userHome + ":::\n.\n");
            try (MailSystem sys = new MailSystem(home).start()) {
                Process holder = new ProcessBuilder(ChildJvm.argv(QueueHolder.class,
                        home.sock().resolve("qmail-queue").toString(), "400"))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                try {
                    BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), ISO_8859_1));
                    assertEquals("holding 400", out.readLine());

                    Process inject = new ProcessBuilder("setpriv", "--reuid=" + USER, "--regid=" + gid,
                            "--init-groups", "env", "-i", "HOME=" + userHome, "USER=" + USER, "LOGNAME=" + USER,
                            "PATH=/usr/bin:/bin", home.bin("qmail-inject").toString())
                            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                    inject.getOutputStream().write(("to: " + USER + "\nSubject: injected during the flood\n\nhi\n")
                            .getBytes(ISO_8859_1));
                    inject.getOutputStream().close();
                    assertTrue(inject.waitFor(LIVENESS.toSeconds(), TimeUnit.SECONDS), "qmail-inject still waits");
                    assertEquals(0, inject.exitValue());
                    String reply = sys.smtp("flood@example.net", List.of(USER + "@" + TestHome.FQDN),
                            "Subject: sent by SMTP during the flood\n\nhi\n");
                    assertTrue(reply.matches("250 ok \\d+ qp \\d+"), reply);

                    List<String> mail = MailSystem.awaitMail(maildir, 2);
                    assertTrue(mail.stream().anyMatch(m -> m.contains("\nSubject: injected during the flood\n")));
                    assertTrue(mail.stream().anyMatch(m -> m.contains("\nSubject: sent by SMTP during the flood\n")));
                    // qmail-send logs the kernel's idea of the submitter: qmail-inject's pid and uid.
                    sys.awaitLog("info msg ", " qp " + inject.pid() + " uid " + uid, LIVENESS);

                    holder.getOutputStream().close();
                    String stats = out.readLine();
                    assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
                    String[] f = stats.split(" ");
                    assertEquals("refused", f[0], stats);
                    // 400 at once, 20 admitted: every other one refused at once, at least once.
                    assertTrue(Long.parseLong(f[1]) >= 380, stats);
                } finally {
                    holder.destroyForcibly();
                    holder.waitFor();
                }
            }
        }
    }
}
