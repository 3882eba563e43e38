package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Debian's Dovecot (dovecot-imapd) serving IMAP from the Maildir that qmail-local writes, while
 * we deliver into it: Dovecot runs as its own master on a loopback port with a configuration
 * and a passwd-file in the test's directory (never the system's service); Python's imaplib is
 * the IMAP client. What is fetched is byte for byte what we wrote, flags Dovecot keeps in the
 * file names survive our deliveries, and our POP3 on the same Maildir leaves Dovecot's view
 * consistent.
 */
@Tag("root")
class DovecotIT {
    static final String USER = "jqdove";
    static Beside b;
    static TestHome.Proc dovecot;
    static int imapPort;
    static int popPort;

    @BeforeAll
    static void start() throws Exception {
        b = Beside.prepare(USER, "/usr/sbin/dovecot");
        b.start();
        Path d = Files.createDirectories(b.home.dir().resolve("dovecot"));
        imapPort = TestHome.freePort();
        Files.writeString(d.resolve("passwd"), USER + ":{PLAIN}imap pw:" + b.uid + ":" + b.gid + "::" + b.uhome
                + "::\n");
        Files.writeString(d.resolve("dovecot.conf"), String.join("\n",
                "base_dir = " + d.resolve("run"),
                "state_dir = " + d.resolve("state"),
                "instance_name = jqmail-it-" + imapPort,
                "protocols = imap",
                "listen = 127.0.0.1",
                "ssl = no",
                "disable_plaintext_auth = no",
                "log_path = " + d.resolve("log"),
                "mail_location = maildir:~/Maildir",
                "first_valid_uid = 1",
                "service imap-login {",
                "  inet_listener imap {",
                "    address = 127.0.0.1",
                "    port = " + imapPort,
                "  }",
                "  chroot =",
                "}",
                "service anvil {",
                "  chroot =",
                "}",
                "passdb {",
                "  driver = passwd-file",
                "  args = scheme=PLAIN username_format=%u " + d.resolve("passwd"),
                "}",
                "userdb {",
                "  driver = passwd-file",
                "  args = username_format=%u " + d.resolve("passwd"),
                "}", ""));
        dovecot = b.home.start("/usr/sbin/dovecot", "-F", "-c", d.resolve("dovecot.conf").toString());
        TestHome.await("Dovecot's IMAP port", () -> {
            if (!dovecot.alive()) {
                throw new AssertionError("dovecot died: " + dovecot.err());
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", imapPort)) {
                return true;
            }
        }, Beside.WAIT);
        popPort = b.pop3();
    }

    @AfterAll
    static void stop() throws Exception {
        if (b != null) {
            b.close();
        }
    }

    @BeforeEach
    void emptyMaildir() throws Exception {
        b.sys.awaitIdle();
        // Dovecot expunges what is gone from the Maildir; its index files stay.
        for (String sub : List.of("new", "cur")) {
            try (Stream<Path> s = Files.list(b.uhome.resolve("Maildir").resolve(sub))) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A message as IMAP gave it: its flags and the bytes of BODY[]. */
    record Fetched(String flags, String body) {
    }

    /**
     * Logs in with imaplib, SELECTs INBOX, runs {@code store} ({@code "UID FLAGS"}, or null),
     * and fetches every message's UID, FLAGS and BODY[]: UID to message.
     */
    static Map<Integer, Fetched> imap(String store) throws Exception {
        Path out = Files.createTempDirectory(b.home.dir(), "imap-");
        TestHome.Result r = TestHome.exec(List.of("/usr/bin/python3", "-c", String.join("\n",
                "import imaplib, re, sys",
                "m = imaplib.IMAP4('127.0.0.1', int(sys.argv[1]))",
                "m.login(sys.argv[2], 'imap pw')",
                "typ, n = m.select('INBOX')",
                "if sys.argv[4]:",
                "    uid, flags = sys.argv[4].split(' ', 1)",
                "    assert m.uid('STORE', uid, '+FLAGS', flags)[0] == 'OK'",
                "if int(n[0]) > 0:",
                "    typ, data = m.fetch('1:*', '(UID FLAGS BODY.PEEK[])')",
                "    for item in data:",
                "        if isinstance(item, tuple):",
                "            g = re.search(rb'UID (\\d+) FLAGS \\(([^)]*)\\)', item[0])",
                "            open(sys.argv[3] + '/' + g.group(1).decode(), 'wb').write(item[1])",
                "            open(sys.argv[3] + '/' + g.group(1).decode() + '.flags', 'wb').write(g.group(2))",
                "m.logout()"), Integer.toString(imapPort), USER, out.toString(), store == null ? "" : store),
                null, Beside.WAIT);
        assertEquals(0, r.exit(), r.errText() + r.outText());
        Map<Integer, Fetched> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.filter(p -> !p.toString().endsWith(".flags")).toList()) {
                m.put(Integer.valueOf(p.getFileName().toString()), new Fetched(
                        Files.readString(Path.of(p + ".flags"), ISO_8859_1), Files.readString(p, ISO_8859_1)));
            }
        }
        return m;
    }

    static String crlf(String s) {
        return s.replace("\n", "\r\n");
    }

    /** The Maildir's files (new/ and cur/, relative names) and their contents. */
    static Map<String, String> files() throws Exception {
        Map<String, String> m = new TreeMap<>();
        for (String sub : List.of("new", "cur")) {
            try (Stream<Path> s = Files.list(b.uhome.resolve("Maildir").resolve(sub))) {
                for (Path p : s.toList()) {
                    m.put(sub + "/" + p.getFileName(), Files.readString(p, ISO_8859_1));
                }
            }
        }
        return m;
    }

    static final String M1 = "From: a@example.org\nSubject: one\nX-8bit: \u00e9\u00ff\n\n.a dot line\nbody\n";
    static final String M2 = "Subject: two\n\n" + "long line ".repeat(200) + "\nlast line without newline";

    @Test
    void whatWeDeliverWhileDovecotRunsIsFetchedByteForByte() throws Exception {
        assertEquals(Map.of(), imap(null));
        b.deliver("a@example.org", USER + "@test.example", M1);
        b.deliver("a@example.org", USER + "@test.example", M2);
        List<String> written = new ArrayList<>(files().values());
        assertEquals(2, written.size());
        Map<Integer, Fetched> got = imap(null);
        assertEquals(2, got.size(), got.toString());
        List<String> bodies = new ArrayList<>();
        for (Fetched f : got.values()) {
            bodies.add(f.body());
        }
        List<String> want = new ArrayList<>();
        for (String w : written) {
            want.add(crlf(w));
        }
        assertEquals(want.stream().sorted().toList(), bodies.stream().sorted().toList());
        assertTrue(bodies.stream().anyMatch(s -> s.endsWith(crlf(M1))), bodies.toString());
        assertTrue(bodies.stream().anyMatch(s -> s.endsWith(crlf(M2) + "\r\n")), "qmail-local ends the last line");
    }

    @Test
    void flagsDovecotSetsSurviveOurNextDeliveries() throws Exception {
        b.deliver("a@example.org", USER + "@test.example", M1);
        int uid = imap(null).keySet().iterator().next();
        imap(uid + " (\\Seen \\Flagged)");
        Map<String, String> before = files();
        assertEquals(1, before.size());
        String flagged = before.keySet().iterator().next();
        assertTrue(flagged.startsWith("cur/") && flagged.endsWith(":2,FS"), flagged);
        b.deliver("a@example.org", USER + "@test.example", M2);
        b.deliver("a@example.org", USER + "@test.example", M1);
        Map<String, String> after = files();
        assertEquals(3, after.size());
        assertEquals(before.get(flagged), after.get(flagged));
        Map<Integer, Fetched> got = imap(null);
        assertEquals(3, got.size());
        assertEquals("\\Flagged \\Seen", sortedFlags(got.get(uid).flags()));
        got.forEach((u, f) -> assertEquals(u == uid, f.flags().contains("\\Seen"), u + " " + f));
    }

    static String sortedFlags(String flags) {
        return String.join(" ", Stream.of(flags.split(" ")).filter(f -> !f.equals("\\Recent")).sorted().toList());
    }

    @Test
    void ourPop3AndDovecotOnTheSameMaildir() throws Exception {
        for (int i = 1; i <= 3; i++) {
            b.deliver("a@example.org", USER + "@test.example", "Subject: m" + i + "\n\nbody " + i + "\n");
        }
        Map<Integer, Fetched> seen = imap(null);
        assertEquals(3, seen.size());
        List<Integer> uids = new ArrayList<>(seen.keySet());
        imap(uids.get(1) + " (\\Seen)");
        b.deliver("a@example.org", USER + "@test.example", "Subject: m4\n\nbody 4\n");
        Map<String, String> files = files();
        // qmail-pop3d lists only messages from before the current second.
        long newest = 0;
        for (String f : files.keySet()) {
            newest = Math.max(newest, Files.getLastModifiedTime(b.uhome.resolve("Maildir").resolve(f)).toMillis());
        }
        long n = newest / 1000;
        TestHome.await("a second after the last delivery", () -> System.currentTimeMillis() / 1000 > n, Beside.WAIT);
        List<String> retrieved = new ArrayList<>();
        try (Pop3IT.Pop p = new Pop3IT.Pop(popPort)) {
            Pop3IT.greet(p);
            assertEquals("+OK \r\n", p.say("USER " + USER));
            assertEquals("+OK \r\n", p.say("PASS " + Pop3IT.PASS));
            long total = files.values().stream().mapToLong(String::length).sum();
            assertEquals("+OK 4 " + total + "\r\n", p.say("STAT"));
            assertEquals("+OK \r\n", p.say("UIDL"));
            String uidl = p.multi();
            for (String f : files.keySet()) {
                String base = f.substring(4).replaceAll(":.*", "");
                assertTrue(uidl.contains(" " + base + "\r\n"), uidl + " lacks " + base);
            }
            for (int i = 1; i <= 4; i++) {
                assertEquals("+OK \r\n", p.say("RETR " + i));
                retrieved.add(p.multi());
            }
            assertEquals("+OK \r\n", p.say("DELE 1"));
            assertEquals("+OK \r\n", p.say("QUIT"));
        }
        List<String> want = new ArrayList<>();
        for (String f : files.values()) {
            want.add(crlf(f) + "\r\n.\r\n");
        }
        assertEquals(want.stream().sorted().toList(), retrieved.stream().sorted().toList());
        Map<String, String> after = files();
        assertEquals(3, after.size(), after.toString());
        assertTrue(after.keySet().stream().allMatch(f -> f.startsWith("cur/") && f.contains(":2,")), after.toString());
        Map<Integer, Fetched> got = imap(null);
        assertEquals(3, got.size(), got.toString());
        // The three Dovecot knew keep their UIDs and flags; the one POP3 deleted is gone.
        List<String> bodies = new ArrayList<>();
        for (Map.Entry<Integer, Fetched> e : got.entrySet()) {
            bodies.add(e.getValue().body());
            if (seen.containsKey(e.getKey())) {
                assertEquals(seen.get(e.getKey()).body(), e.getValue().body());
            }
            assertEquals(e.getKey().equals(uids.get(1)), e.getValue().flags().contains("\\Seen"), e.toString());
        }
        List<Integer> added = new ArrayList<>(got.keySet());
        added.removeAll(uids);
        assertTrue(added.size() <= 1, "only the message delivered after the first SELECT is new: " + got.keySet());
        // What Dovecot serves now is what POP3 retrieved as messages 2 to 4.
        List<String> kept = new ArrayList<>();
        for (String r : retrieved.subList(1, 4)) {
            kept.add(r.substring(0, r.length() - 5).replace("\r\n..", "\r\n."));
        }
        assertEquals(kept.stream().sorted().toList(), bodies.stream().sorted().toList());
    }
}
