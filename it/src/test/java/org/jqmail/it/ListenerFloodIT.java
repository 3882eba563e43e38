package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Threat: under tcpserver, 40 idle clients hold all of qmail-smtpd's places for
 * {@code timeoutsmtpd} (20 minutes) each, and nobody else's mail gets in. The listener limits
 * each client address on its own ({@code MAXCONNIP}, default 50): here 127.0.0.2 opens 400
 * connections and holds them idle while the listener's whole limit is 100 ({@code -c 100}),
 * and a message from 127.0.0.1 is still accepted and delivered. Every connection of
 * 127.0.0.2 beyond its 50 is answered the 421 line at once and closed; a rule's own
 * {@code MAXCONNIP} and {@code DIEMSG} (127.0.0.3: 2, and its own text) win over the defaults.
 * The deadline is a liveness bound, not a speed assertion.
 */
@Tag("root")
class ListenerFloodIT {
    static final String USER = "jqlflood";
    static final String REFUSED = "421 too many connections from your IP address (#4.7.0)";

    /** A connection from {@code from} to the listener; returns it with its first line read. */
    private static Socket connect(String from, int port, List<String> firstLines) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        s.setSoTimeout(30_000);
        firstLines.add(line(s.getInputStream()));
        return s;
    }

    /** One line without its CRLF, or "EOF". */
    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return c < 0 && sb.length() == 0 ? "EOF" : sb.toString();
    }

    @Test
    void oneAddressHoldingHundredsOfConnectionsDoesNotDelayAnothersMail() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: real users");
        try (TestHome home = TestHome.create()) {
            Path userHome = TestHome.ensureUser(USER);
            MailSystem.emptyHome(userHome);
            Path maildir = userHome.resolve("Maildir");
            MailSystem.maildir(USER, maildir);
            home.usersAssign("=" + USER + ":" + USER + ":" + TestHome.uid(USER) + ":" + TestHome.gid(USER) + ":"
                    + userHome + ":::\n.\n");
            Path rules = home.etc().resolve("tcp.smtp");
            Files.writeString(rules, "127.0.0.3:allow,MAXCONNIP=\"2\",DIEMSG=\"421 slow down, 127.0.0.3\"\n"
                    + "127.:allow,RELAYCLIENT=\"\"\n:allow\n", ISO_8859_1);
            TestHome.Result t = TestHome.exec(List.of("tcprules", home.etc().resolve("tcp.smtp.cdb").toString(),
                    home.etc().resolve("tcp.smtp.tmp").toString()), Files.readAllBytes(rules), Duration.ofSeconds(30));
            assertEquals(0, t.exit(), t.errText());
            List<Socket> held = new ArrayList<>();
            try (MailSystem sys = new MailSystem(home).listenerOptions("-c", "100", "-H", "-R").start()) {
                List<String> first = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    held.add(connect("127.0.0.2", sys.port, first));
                }
                assertEquals(50, first.stream().filter(l -> l.startsWith("220 ")).count(), first.toString());
                assertEquals(350, first.stream().filter(REFUSED::equals).count(), first.toString());
                int refusedAt = first.indexOf(REFUSED);
                assertEquals("EOF", line(held.get(refusedAt).getInputStream()), "a refused connection is closed");

                String reply = sys.smtp("flood@example.net", List.of(USER + "@" + TestHome.FQDN),
                        "Subject: from 127.0.0.1 during the flood\n\nhi\n");
                assertTrue(reply.matches("250 ok \\d+ qp \\d+"), reply);
                List<String> mail = MailSystem.awaitMail(maildir, 1);
                assertTrue(mail.get(0).contains("\nSubject: from 127.0.0.1 during the flood\n"), mail.get(0));

                List<String> three = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    held.add(connect("127.0.0.3", sys.port, three));
                }
                assertEquals(List.of("220 " + TestHome.FQDN + " ESMTP", "220 " + TestHome.FQDN + " ESMTP",
                        "421 slow down, 127.0.0.3"), three);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }
}
