package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * POP3 as a qmail user runs it: {@code tcpserver ... qmail-popup HOST checkpassword qmail-pop3d
 * Maildir} with the installed programs, a real account made (and removed) here with real
 * crypt(3) hashes of every kind, replies compared line for line and messages byte for byte,
 * the Maildir's changes checked on disk, a shell-script checkpassword in place of ours, and
 * Python's poplib fetching mail that qmail-local delivered.
 */
@Tag("root")
class Pop3IT {
    static final String USER = "jqpop";
    static final String PASS = "open Sesame";
    static final String YESCRYPT = "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$h4Imzyyai.PTGnYlX5e4n24m82Pl0.c85GXXA/g4aT.";
    static final Pattern GREETING = Pattern.compile("\\+OK <(\\d+)\\.(\\d+)@pop\\.example>\r\n");
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String M1 = "Subject: first\n\nline one\n.starts with a dot\n";
    static final String M2 = "From: a@example.org\nSubject: second\n\nbody 1\nbody 2\nbody 3\n";

    static TestHome home;
    static Path uhome;
    static int uid;
    static int gid;
    static int port;
    static int shellPort;
    static TestHome.Proc server;
    static TestHome.Proc shellServer;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: real accounts, setpriv");
        home = TestHome.create();
        uhome = home.dir().resolve("users").resolve(USER);
        Files.createDirectories(uhome);
        makeUser();
        uid = TestHome.uid(USER);
        gid = TestHome.gid(USER);
        port = tcpserver(home.bin("checkpassword").toString());
        Path script = home.dir().resolve("shell-checkpassword");
        Files.writeString(script, "#!/bin/sh\n"
                + "# A checkpassword in sh: keeps what it read on fd 3; 'shell pw' logs jqpop in,\n"
                + "# 'as root' runs the program as root (which qmail-pop3d must refuse).\n"
                + "cat <&3 > " + home.dir() + "/fd3\n"
                + "pw=`tr '\\000' '\\n' < " + home.dir() + "/fd3 | sed -n 2p`\n"
                + "test \"$pw\" = 'as root' && exec \"$@\"\n"
                + "test \"$pw\" = 'shell pw' || exit 1\n"
                + "exec setpriv --reuid=" + USER + " --regid=" + USER + " --init-groups env -C " + uhome
                + " USER=" + USER + " HOME=" + uhome + " \"$@\"\n", ISO_8859_1);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        shellPort = tcpserver(script.toString());
    }

    /** Starts tcpserver with qmail-popup and the given checkpassword; returns its port. */
    static int tcpserver(String checkpassword) throws Exception {
        int p = TestHome.freePort();
        TestHome.Proc t = home.start("/usr/bin/tcpserver", "-v", "-R", "-H", "-l", "0", "127.0.0.1",
                Integer.toString(p), home.bin("qmail-popup").toString(), "pop.example", checkpassword,
                home.bin("qmail-pop3d").toString(), "Maildir");
        if (checkpassword.endsWith("shell-checkpassword")) {
            shellServer = t;
        } else {
            server = t;
        }
        TestHome.await("tcpserver on " + p, () -> t.err().contains("status: 0/40"), WAIT);
        return p;
    }

    static void makeUser() throws Exception {
        if (TestHome.exec(List.of("getent", "passwd", USER), null, WAIT).exit() == 0) {
            account("userdel", USER);
        }
        account("useradd", "--no-create-home", "--user-group", "--home-dir", uhome.toString(), "--shell", "/bin/sh",
                USER);
        run("chown", USER + ":" + USER, uhome.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (home != null) {
            home.close();
            account("userdel", USER);
        }
    }

    /**
     * Changes the account database under the lock scripts/install and the other tests take
     * (useradd, usermod and userdel refuse to wait for each other).
     */
    static void account(String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("flock", "-w", "120", "/run/lock/jqmail-install.lock"));
        cmd.addAll(List.of(argv));
        run(cmd.toArray(new String[0]));
    }

    static String run(String... argv) throws IOException {
        TestHome.Result r = TestHome.exec(List.of(argv), null, WAIT);
        assertEquals(0, r.exit(), List.of(argv) + ": " + r.errText());
        return r.outText();
    }

    @BeforeEach
    void freshMaildirAndPassword() throws Exception {
        run("rm", "-rf", uhome.resolve("Maildir").toString());
        for (String d : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(uhome.resolve("Maildir").resolve(d));
        }
        run("chown", "-R", USER + ":" + USER, uhome.resolve("Maildir").toString());
        account("usermod", "-p", YESCRYPT, "-e", "", USER);
    }

    /** A message file in new/ with an mtime in the past, owned by the user. */
    Path put(String name, String text, long age) throws IOException {
        Path p = uhome.resolve("Maildir/new").resolve(name);
        Files.write(p, text.getBytes(ISO_8859_1));
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - age * 1000));
        Files.setAttribute(p, "unix:uid", uid);
        return p;
    }

    /** A POP3 connection that reads whole CRLF lines. */
    static final class Pop implements AutoCloseable {
        final Socket s;
        final InputStream in;
        final OutputStream out;

        Pop(int port) throws IOException {
            s = new Socket(InetAddress.getLoopbackAddress(), port);
            s.setSoTimeout((int) WAIT.toMillis());
            in = s.getInputStream();
            out = s.getOutputStream();
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (;;) {
                int c = in.read();
                if (c < 0) {
                    return b.size() == 0 ? null : b.toString(ISO_8859_1);
                }
                b.write(c);
                if (c == '\n') {
                    return b.toString(ISO_8859_1);
                }
            }
        }

        /** Lines up to and including the one that is exactly {@code .\r\n}. */
        String multi() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (;;) {
                String l = line();
                if (l == null) {
                    return sb.toString();
                }
                sb.append(l);
                if (l.equals(".\r\n")) {
                    return sb.toString();
                }
            }
        }

        /**
         * Sends an overlong line while already waiting for the reply: the server answers
         * before it has read the whole line and closes with input unread, and the reset that
         * sends would overtake a reply not yet read.
         */
        String sayOverlong(String command) throws Exception {
            java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                java.util.concurrent.Future<String> r = ex.submit(this::line);
                try {
                    out.write((command + "\r\n").getBytes(ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // Closed already: the reply is what counts.
                }
                return r.get(60, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                ex.shutdownNow();
            }
        }

        String say(String command) throws IOException {
            out.write((command + "\r\n").getBytes(ISO_8859_1));
            out.flush();
            return line();
        }

        @Override
        public void close() throws IOException {
            s.close();
        }
    }

    static String greet(Pop p) throws IOException {
        String g = p.line();
        assertTrue(GREETING.matcher(g).matches(), g);
        return g;
    }

    @Test
    void aWholeSessionLineForLineAndTheMaildirAfterwards() throws Exception {
        Path m1 = put("1000.1.host", M1, 300);
        Path m2 = put("2000.2.host", M2, 200);
        try (Pop p = new Pop(port)) {
            greet(p);
            assertEquals("+OK \r\n", p.say("USER " + USER));
            assertEquals("+OK \r\n", p.say("PASS " + PASS));
            assertEquals("+OK 2 " + (M1.length() + M2.length()) + "\r\n", p.say("STAT"));
            assertEquals("+OK \r\n", p.say("LIST"));
            assertEquals("1 " + M1.length() + "\r\n2 " + M2.length() + "\r\n.\r\n", p.multi());
            assertEquals("+OK \r\n", p.say("UIDL"));
            assertEquals("1 1000.1.host\r\n2 2000.2.host\r\n.\r\n", p.multi());
            assertEquals("+OK \r\n", p.say("RETR 1"));
            assertEquals("Subject: first\r\n\r\nline one\r\n..starts with a dot\r\n\r\n.\r\n", p.multi());
            assertEquals("+OK \r\n", p.say("TOP 2 1"));
            assertEquals("From: a@example.org\r\nSubject: second\r\n\r\nbody 1\r\n\r\n.\r\n", p.multi());
            assertEquals("-ERR not that many messages\r\n", p.say("RETR 3"));
            assertEquals("+OK \r\n", p.say("DELE 1"));
            assertEquals("+OK 1\r\n", p.say("LAST"));
            assertEquals("+OK 2 " + M2.length() + "\r\n", p.say("STAT"));
            assertEquals("-ERR already deleted\r\n", p.say("RETR 1"));
            assertEquals("-ERR unimplemented\r\n", p.say("CAPA"));
            // The session runs as the mailbox's owner, never as root.
            assertEquals(Optional.of(USER), pop3dUser());
            assertTrue(Files.exists(m1), "nothing changes before QUIT");
            assertEquals("+OK \r\n", p.say("QUIT"));
            assertEquals(null, p.line());
        }
        assertFalse(Files.exists(m1));
        assertFalse(Files.exists(m2));
        assertEquals(M2, Files.readString(uhome.resolve("Maildir/cur/2000.2.host:2,"), ISO_8859_1));
    }

    /** The user of the running qmail-pop3d below our tcpserver. */
    static Optional<String> pop3dUser() {
        return server.process().descendants()
                .filter(ph -> ph.info().commandLine().orElse("").contains("org.jqmail.pop3d.QmailPop3d"))
                .findFirst().flatMap(ph -> ph.info().user());
    }

    @Test
    void endOfInputWithoutQuitChangesNothing() throws Exception {
        Path m1 = put("1000.1.host", M1, 300);
        try (Pop p = new Pop(port)) {
            greet(p);
            p.say("USER " + USER);
            assertEquals("+OK \r\n", p.say("PASS " + PASS));
            assertEquals("+OK \r\n", p.say("DELE 1"));
        }
        TestHome.await("session end", () -> pop3dUser().isEmpty(), WAIT);
        assertTrue(Files.exists(m1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "yescrypt|" + YESCRYPT,
        "gost-yescrypt|$gy$j9T$F5Jx5fExrKuPp53xLKQ..1$Mijdgmw6g7uZcQ13FfnnNeAe1y33tuqt.k.11XTlFU5",
        "scrypt|$7$CU..../....abcdefgh$khH/GNMEcZmQ2n3ieTy4nYKQ.Y5szgwihbSpj1mzWOB",
        "bcrypt|$2b$05$abcdefghijklmnopqrstuuicPfs9g5Vnb5YUZGY8ZVrJ3jD9VX89O",
        "sha512crypt|$6$saltsalt$ovwQEi9k4BuAIz1OYoZb1qzdqqrMn.Kf8gKxhgG6H1ZP68qtZr31a7GFftgbGyNQ9luzMrFjfZ7p73QIrQu9I/",
        "sha256crypt|$5$saltsalt$iZ7MdSAjJoPWY0QZOshPdsjPCC/rB1PHCuOWzcEwSv/",
        "md5crypt|$1$saltsalt$IgumxSDYjyUNZuuJ7vgYX0",
        "descrypt|abmG5G3aZjQgk",
    })
    void everyHashKindOfTheSystemsCrypt(String kind, String hash) throws Exception {
        account("usermod", "-p", hash, USER);
        assertEquals("+OK \r\n", login(PASS), kind);
        assertEquals("-ERR authorization failed\r\n", login(PASS.toUpperCase()), kind);
    }

    @Test
    void aPasswordSetByChpasswdWithDebiansDefaultYescrypt() throws Exception {
        TestHome.Result r = TestHome.exec(List.of("flock", "-w", "120", "/run/lock/jqmail-install.lock", "chpasswd",
                "-c", "YESCRYPT"), (USER + ":p0p-3 w0rd\n").getBytes(ISO_8859_1), WAIT);
        assertEquals(0, r.exit(), r.errText());
        assertTrue(run("getent", "shadow", USER).startsWith(USER + ":$y$"));
        assertEquals("+OK \r\n", login("p0p-3 w0rd"));
        assertEquals("-ERR authorization failed\r\n", login("p0p-3 w0rd "));
    }

    /** USER, PASS; returns the reply to PASS (and QUITs a session that started). */
    static String login(String password) throws IOException {
        return login(port, USER, password);
    }

    static String login(int port, String user, String password) throws IOException {
        try (Pop p = new Pop(port)) {
            greet(p);
            assertEquals("+OK \r\n", p.say("USER " + user));
            String r = p.say("PASS " + password);
            if (r != null && r.equals("+OK \r\n")) {
                assertEquals("+OK \r\n", p.say("QUIT"));
            }
            assertEquals(null, p.line());
            return r;
        }
    }

    @Test
    void refusedLogins() throws Exception {
        assertEquals("-ERR authorization failed\r\n", login(port, "root", PASS));
        assertEquals("-ERR authorization failed\r\n", login(port, "jqpop-nosuchuser", PASS));
        assertEquals("-ERR authorization failed\r\n", login(port, "0", PASS));
        account("usermod", "-L", USER);
        assertEquals("-ERR authorization failed\r\n", login(PASS));
        account("usermod", "-U", USER);
        assertEquals("+OK \r\n", login(PASS));
        account("usermod", "-e", "1970-01-02", USER);
        assertEquals("-ERR authorization failed\r\n", login(PASS));
        account("usermod", "-e", "", "-p", "", USER);
        assertEquals("-ERR authorization failed\r\n", login("x"));
    }

    /** bin/checkpassword run directly, {@code fd3} on its fd 3 (and fd 0). */
    static TestHome.Result checkpassword(String fd3, String... prog) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "exec \"$0\" \"$@\" 3<&0",
                home.bin("checkpassword").toString()));
        cmd.addAll(List.of(prog));
        return TestHome.exec(cmd, fd3.getBytes(ISO_8859_1), WAIT);
    }

    @Test
    void checkpasswordsExitStatusesAndTheProgramsIdsAndEnvironment() throws Exception {
        String[] show = {"/bin/sh", "-c", "id -u; id -G; pwd; echo \"$USER $HOME $SHELL\"; exit 7"};
        TestHome.Result r = checkpassword(USER + "\0" + PASS + "\0" + "<1.2@x>\0", show);
        assertEquals(uid + "\n" + gid + "\n" + uhome + "\n" + USER + " " + uhome + " /bin/sh\n", r.outText());
        assertEquals("", r.errText());
        assertEquals(7, r.exit());
        // Refused: a wrong password, an unknown account, root, a name no account has.
        for (String fd3 : List.of(USER + "\0wrong\0\0", "jqpop-nosuchuser\0" + PASS + "\0\0",
                "root\0" + PASS + "\0\0", "#" + USER + "\0" + PASS + "\0\0", "\0" + PASS + "\0\0",
                USER + "\0" + PASS + "\0" + "x".repeat(513))) {
            r = checkpassword(fd3, show);
            assertEquals(1, r.exit(), fd3);
            assertEquals("", r.outText() + r.errText(), fd3);
        }
        // Misuse: no program, or fd 3 data without the two NULs.
        r = checkpassword(USER + "\0" + PASS + "\0\0");
        assertEquals(2, r.exit());
        assertEquals("", r.outText() + r.errText());
        r = checkpassword(USER + "\0" + PASS, show);
        assertEquals(2, r.exit());
        assertEquals("", r.outText() + r.errText());
    }

    @Test
    void commandsOutOfOrderAndBadLinesGetQmailsAnswers() throws Exception {
        try (Pop p = new Pop(port)) {
            greet(p);
            assertEquals("-ERR USER first\r\n", p.say("PASS " + PASS));
            assertEquals("-ERR authorization first\r\n", p.say("STAT"));
            assertEquals("-ERR authorization first\r\n", p.say("RETR 1"));
            assertEquals("-ERR syntax error\r\n", p.say("USER"));
            assertEquals("-ERR syntax error\r\n", p.say("APOP " + USER));
            assertEquals("+OK \r\n", p.say("noop"));
            assertEquals("+OK \r\n", p.say("user " + USER));
            assertEquals("-ERR syntax error\r\n", p.say("PASS"));
            assertEquals("-ERR out of memory\r\n", p.sayOverlong("PASS " + "x".repeat(70000)));
        }
        try (Pop p = new Pop(port)) {
            greet(p);
            assertEquals("+OK \r\n", p.say("QUIT"));
            assertEquals(null, p.line());
        }
        put("1000.1.host", M1, 300);
        try (Pop p = new Pop(port)) {
            greet(p);
            p.say("USER " + USER);
            assertEquals("+OK \r\n", p.say("PASS " + PASS));
            assertEquals("-ERR syntax error\r\n", p.say("RETR x"));
            assertEquals("-ERR messages are counted from 1\r\n", p.say("DELE 0"));
            assertEquals("-ERR not that many messages\r\n", p.say("TOP 99 1"));
            assertEquals("+OK \r\n", p.say("DELE 1"));
            assertEquals("-ERR out of memory\r\n", p.sayOverlong("NOOP " + "y".repeat(70000)));
        }
        assertTrue(Files.exists(uhome.resolve("Maildir/new/1000.1.host")));
    }

    @Test
    void anotherCheckpasswordProgramWorksAndARootSessionIsRefused() throws Exception {
        put("1000.1.host", M1, 300);
        Matcher g;
        try (Pop p = new Pop(shellPort)) {
            g = GREETING.matcher(greet(p));
            assertTrue(g.matches());
            p.say("USER " + USER);
            assertEquals("+OK \r\n", p.say("PASS shell pw"));
            assertEquals("+OK 1 " + M1.length() + "\r\n", p.say("STAT"));
            assertEquals("+OK \r\n", p.say("QUIT"));
        }
        assertEquals(USER + "\0shell pw\0<" + g.group(1) + "." + g.group(2) + "@pop.example>\0",
                Files.readString(home.dir().resolve("fd3"), ISO_8859_1));
        try (Pop p = new Pop(shellPort)) {
            greet(p);
            p.say("USER " + USER);
            assertEquals("-ERR authorization failed\r\n", p.say("PASS as root"));
            assertEquals(null, p.line());
        }
        TestHome.await("qmail-pop3d's refusal in the log",
                () -> shellServer.err().contains("qmail-pop3d invoked as uid 0, terminating\n"), WAIT);
        try (Pop p = new Pop(shellPort)) {
            greet(p);
            assertEquals("-ERR authorization failed\r\n", p.say("APOP " + USER + " 0123456789abcdef"));
        }
    }

    @Test
    void pythonsPoplibFetchesMailThatQmailLocalDelivered() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 (Debian package python3)");
        String[] bodies = {"Subject: a\n\nshort\n", "Subject: b\n\n.leading dot\n..two dots\nlast line no newline",
            "Subject: c\n\n" + "long line ".repeat(99) + "\n"};
        for (String b : bodies) {
            Path msg = LocalDelivery.message(home.dir(), b);
            LocalDelivery.Result r = LocalDelivery.run(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid,
                    "--groups=" + gid), home.bin("qmail-local"), msg, Map.of(), "--", USER, uhome.toString(), USER,
                    "", "", "test.example", "sender@example.org", "./Maildir/");
            assertEquals(0, r.exit(), r.report());
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(uhome.resolve("Maildir/new"))) {
            files = s.sorted().toList();
        }
        assertEquals(3, files.size());
        // qmail-pop3d lists only messages from before the current second.
        long newest = 0;
        for (Path f : files) {
            newest = Math.max(newest, Files.getLastModifiedTime(f).toMillis() / 1000);
        }
        long n = newest;
        TestHome.await("a second after the last delivery", () -> System.currentTimeMillis() / 1000 > n, WAIT);
        List<String> expected = new ArrayList<>();
        for (Path f : files) {
            expected.add(Files.readString(f, ISO_8859_1));
        }

        Path out = Files.createDirectory(home.dir().resolve("poplib"));
        TestHome.Result r = TestHome.exec(List.of("/usr/bin/python3", "-c", String.join("\n",
                "import poplib, sys",
                "p = poplib.POP3('127.0.0.1', int(sys.argv[1]), timeout=60)",
                "p.user(sys.argv[2])",
                "p.pass_(sys.argv[3])",
                "count, size = p.stat()",
                "print(count, size)",
                "for i in range(1, count + 1):",
                "    resp, lines, octets = p.retr(i)",
                "    open(sys.argv[4] + '/' + str(i), 'wb').write(b'\\n'.join(lines))",
                "    p.dele(i)",
                "print(p.quit().decode())"),
                Integer.toString(port), USER, PASS, out.toString()), null, WAIT);
        assertEquals(0, r.exit(), r.errText());
        long total = expected.stream().mapToLong(String::length).sum();
        // poplib's lines of a message with the extra blank line end in an empty one, so that
        // joining them gives back the file, its last newline included.
        List<String> got = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            got.add(Files.readString(out.resolve(Integer.toString(i)), ISO_8859_1));
        }
        List<String> want = new ArrayList<>();
        for (String e : expected) {
            want.add(e.endsWith("\n") ? e : e + "\n");
        }
        assertEquals("3 " + total + "\n+OK \n", r.outText());
        // Messages delivered within one second may come in any order.
        assertEquals(want.stream().sorted().toList(), got.stream().sorted().toList());
        try (Stream<Path> s = Stream.concat(Files.list(uhome.resolve("Maildir/new")),
                Files.list(uhome.resolve("Maildir/cur")))) {
            assertEquals(0, s.count());
        }
    }
}
