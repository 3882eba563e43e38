package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * POP3 over TLS (doc/POP3.md §6): {@code tcpserver ... qmail-popup HOST checkpassword
 * qmail-pop3d Maildir} with {@code control/servercert.pem} from {@code --selfsigned-cert}, one
 * server with {@code TLSREQUIRED} (STLS), one with {@code POP3S}; clients {@code openssl s_client
 * -starttls pop3}, {@code openssl s_client} and Python's poplib with {@code stls()}, each
 * logging in as a real account and reading its mailbox, replies compared whole.
 */
@Tag("root")
class Pop3TlsIT {
    static final String USER = "jqpoptls";
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String MSG = "Subject: over tls\n\nhello\n";
    static final String CAPA_CLEAR = "+OK capability list follows\r\nTOP\r\nUIDL\r\nSTLS\r\n.\r\n";
    static final String CAPA_TLS = "+OK capability list follows\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n";
    static final Pattern GREETING = Pattern.compile("\\+OK <\\d+\\.\\d+@pop\\.example>\r\n");

    static TestHome home;
    static Path uhome;
    static int stlsPort;
    static int pop3sPort;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: real accounts, setpriv");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl (Debian package openssl)");
        home = TestHome.create(false, "--selfsigned-cert");
        uhome = TestHome.ensureUser(USER);
        Pop3IT.account("usermod", "-p", Pop3IT.YESCRYPT, "-e", "", USER);
        Pop3IT.run("rm", "-rf", uhome.resolve("Maildir").toString());
        for (String d : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(uhome.resolve("Maildir").resolve(d));
        }
        Path m = uhome.resolve("Maildir/new/1000000000.1.pop");
        Files.writeString(m, MSG, ISO_8859_1);
        Files.setLastModifiedTime(m, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Pop3IT.run("chown", "-R", USER + ":" + USER, uhome.resolve("Maildir").toString());
        stlsPort = tcpserver("TLSREQUIRED");
        pop3sPort = tcpserver("POP3S");
    }

    static int tcpserver(String variable) throws Exception {
        int p = TestHome.freePort();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put(variable, "1");
        TestHome.Proc t = home.start(env, "/usr/bin/tcpserver", "-v", "-R", "-H", "-l", "0", "127.0.0.1",
                Integer.toString(p), home.bin("qmail-popup").toString(), "pop.example",
                home.bin("checkpassword").toString(), home.bin("qmail-pop3d").toString(), "Maildir");
        TestHome.await("tcpserver on " + p, () -> t.err().contains("status: 0/40"), WAIT);
        return p;
    }

    @AfterAll
    static void stop() throws Exception {
        if (home != null) {
            home.close();
        }
    }

    /** A client program on pipes: what it prints is read line by line as the dialogue goes. */
    static final class Client implements AutoCloseable {
        final Process p;
        final InputStream in;
        final OutputStream out;

        Client(String... argv) throws IOException {
            p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            in = p.getInputStream();
            out = p.getOutputStream();
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c; (c = in.read()) >= 0;) {
                b.write(c);
                if (c == '\n') {
                    break;
                }
            }
            return b.toString(ISO_8859_1);
        }

        String lines(int n) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < n; i++) {
                sb.append(line());
            }
            return sb.toString();
        }

        /** Sends a command (s_client -crlf makes the CRLF) and reads {@code n} lines. */
        String say(String command, int n) throws IOException {
            out.write((command + "\n").getBytes(ISO_8859_1));
            out.flush();
            return lines(n);
        }

        @Override
        public void close() throws Exception {
            p.destroy();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** The same mailbox dialogue in any TLS session, one command at a time. */
    static void mailbox(Client c) throws Exception {
        assertEquals(CAPA_TLS, c.say("CAPA", 5));
        assertEquals("+OK \r\n", c.say("USER " + USER, 1));
        // qmail-pop3d's first line, as the user: the password was right.
        assertEquals("+OK \r\n", c.say("PASS " + Pop3IT.PASS, 1));
        assertEquals("+OK 1 " + MSG.length() + "\r\n", c.say("STAT", 1));
        // qmail-pop3d ends a message with an empty line of its own (doc/POP3.md).
        assertEquals("+OK \r\nSubject: over tls\r\n\r\nhello\r\n\r\n.\r\n", c.say("RETR 1", 6));
        assertEquals("+OK \r\n", c.say("QUIT", 1));
        assertEquals("", c.line());
        assertEquals(0, c.p.waitFor(60, TimeUnit.SECONDS) ? 0 : -1);
    }

    @Test
    void clearTextOffersStlsAndRefusesUserWhenTlsIsRequired() throws Exception {
        try (Pop3IT.Pop p = new Pop3IT.Pop(stlsPort)) {
            assertTrue(GREETING.matcher(p.line()).matches());
            assertEquals(CAPA_CLEAR, p.say("CAPA") + p.multi());
            assertEquals("-ERR TLS required: use STLS first\r\n", p.say("USER " + USER));
            assertEquals("-ERR TLS required: use STLS first\r\n", p.say("PASS " + Pop3IT.PASS));
            assertEquals("+OK \r\n", p.say("QUIT"));
        }
    }

    @Test
    void opensslStarttlsPop3ReadsTheMailbox() throws Exception {
        try (Client c = new Client("/usr/bin/openssl", "s_client", "-quiet", "-crlf", "-starttls", "pop3",
                "-connect", "127.0.0.1:" + stlsPort)) {
            mailbox(c);
        }
    }

    @Test
    void opensslPop3sGreetsOverTlsAndReadsTheMailbox() throws Exception {
        try (Client c = new Client("/usr/bin/openssl", "s_client", "-quiet", "-crlf", "-connect",
                "127.0.0.1:" + pop3sPort)) {
            assertTrue(GREETING.matcher(c.line()).matches());
            mailbox(c);
        }
    }

    @Test
    void pythonsPoplibStlsThenLogsIn() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 (Debian package python3)");
        TestHome.Result r = TestHome.exec(List.of("/usr/bin/python3", "-c", String.join("\n",
                "import poplib, ssl, sys",
                "ctx = ssl.create_default_context()",
                "ctx.check_hostname = False",
                "ctx.verify_mode = ssl.CERT_NONE",
                "p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=60)",
                "print(sorted(p.capa()))",
                "try:",
                "    p.user(sys.argv[2])",
                "except poplib.error_proto as e:",
                "    print(e.args[0].decode())",
                "print(p.stls(ctx).decode())",
                "print(p.sock.version())",
                "print(sorted(p.capa()))",
                "print(p.user(sys.argv[2]).decode())",
                "print(p.pass_(sys.argv[3]).decode())",
                "print(p.stat())",
                "print(p.retr(1)[1])",
                "print(p.quit().decode())",
                "q = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=60)",
                "q.stls(ctx)",
                "q.user(sys.argv[2])",
                "try:",
                "    q.pass_('not the password')",
                "except poplib.error_proto as e:",
                "    print(e.args[0].decode())",
                "s = poplib.POP3_SSL('127.0.0.1', int(sys.argv[4]), context=ctx, timeout=60)",
                "print(s.user(sys.argv[2]).decode(), s.pass_(sys.argv[3]).decode(), s.stat(), s.quit().decode())"),
                Integer.toString(stlsPort), USER, Pop3IT.PASS, Integer.toString(pop3sPort)), null, WAIT);
        assertEquals(0, r.exit(), r.errText());
        assertEquals("['STLS', 'TOP', 'UIDL']\n"
                + "-ERR TLS required: use STLS first\n"
                + "+OK begin TLS negotiation\n"
                + "TLSv1.3\n"
                + "['TOP', 'UIDL', 'USER']\n"
                + "+OK \n"
                + "+OK \n"
                + "(1, " + MSG.length() + ")\n"
                + "[b'Subject: over tls', b'', b'hello', b'']\n"
                + "+OK \n"
                + "-ERR authorization failed\n"
                + "+OK  +OK  (1, " + MSG.length() + ") +OK \n", r.outText());
    }
}
