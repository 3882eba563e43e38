package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Control files of any length, as qmail reads them, and a clean refusal past jqmail's bounds
 * (1 MiB for a line, 64 MiB for a list file): once a 200 KB {@code control/me} made every
 * listener session answer {@code 421 unable to read controls} and qmail-send exit and be
 * restarted in a loop. Now a 200 KB {@code me} is read (the greeting carries it, mail is
 * delivered); a {@code me} over the bound gets every session qmail-smtpd's 421 with one
 * warning from the listener, and qmail-send logs one alert and waits, without exiting, until
 * the file is fixed, then starts and delivers.
 */
@Tag("root")
class ControlFilesIT {
    static final String USER = "jqctl";

    /** The greeting line of a new SMTP session (without CRLF); the session is closed. */
    private static String greeting(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }

    private static long lines(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).count();
    }

    @Test
    void aLongMeIsReadAndOneOverTheBoundIsRefusedOnceWithoutARestartLoop() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: real users");
        try (TestHome home = TestHome.create()) {
            Path userHome = TestHome.ensureUser(USER);
            MailSystem.emptyHome(userHome);
            Path maildir = userHome.resolve("Maildir");
            MailSystem.maildir(USER, maildir);
            home.usersAssign("=" + USER + ":" + USER + ":" + TestHome.uid(USER) + ":" + TestHome.gid(USER) + ":"
                    + userHome + ":::\n.\n");
            String longMe = "m".repeat(200_000);
            home.control("me", longMe + "\n");
            try (MailSystem sys = new MailSystem(home).start()) {
                assertEquals("220 " + longMe + " ESMTP", greeting(sys.port));
                sys.smtp("ctl@example.net", List.of(USER + "@" + TestHome.FQDN), "Subject: long me\n\nhi\n");
                assertTrue(MailSystem.awaitMail(maildir, 1).get(0).contains("\nSubject: long me\n"));

                // Over the bound: every session gets 421, the listener says so once.
                Path me = home.control("me", "m".repeat(2 * 1024 * 1024) + "\n");
                for (int i = 0; i < 5; i++) {
                    assertEquals("421 unable to read controls (#4.3.0)", greeting(sys.port));
                }
                String warning = "qmail-smtpd-listener: warning: unable to read controls, answering 421 until it"
                        + " changes: " + me + ": its first line is longer than 1048576 bytes, the bound on control files";
                assertEquals(1, lines(sys.listener.err(), warning), sys.listener.err());

                // qmail-send started now: one alert, and it waits instead of exiting.
                home.stop(sys.send);
                sys.send = home.start(sys.cleanEnv(), "qmail-start", "./Maildir/");
                String alert = "alert: cannot start: unable to read controls: " + me
                        + ": its first line is longer than 1048576 bytes, the bound on control files";
                TestHome.await("qmail-send's alert", () -> sys.log().contains(alert), Duration.ofSeconds(60));
                Thread.sleep(12_000);
                assertTrue(sys.send.alive(), "qmail-send still runs: " + sys.log());
                assertEquals(1, lines(String.join("\n", sys.log()), "alert:"), sys.log().toString());

                // Fixed: qmail-send starts on its own, sessions are served again.
                home.control("me", TestHome.FQDN + "\n");
                sys.awaitLog(sys.ready, Duration.ofSeconds(60));
                assertEquals("220 " + TestHome.FQDN + " ESMTP", greeting(sys.port));
                sys.smtp("ctl@example.net", List.of(USER + "@" + TestHome.FQDN), "Subject: fixed\n\nhi\n");
                assertEquals(2, MailSystem.awaitMail(maildir, 2).size());
                assertEquals(1, lines(sys.listener.err(), "qmail-smtpd-listener: warning: unable to read controls"));
            }
        }
    }
}
