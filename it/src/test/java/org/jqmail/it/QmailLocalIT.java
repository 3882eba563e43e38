package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jqmail.it.LocalDelivery.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The installed {@code bin/qmail-local} as a real process against a real home directory
 * (qmail-local(8), qmail's TEST.deliver): mailbox contents to the byte, {@code .qmail} lookup,
 * program deliveries and their environment, forwards through {@code $QMAILQUEUE}, the home checks,
 * and the exit-code set {0, 100, 111}.
 */
class QmailLocalIT {
    private static final String DOMAIN = "test.example";
    private static final String MSG = "Received: from x\nSubject: test\n\nFrom the body\n>From quoted\nend\n";
    private static LocalHome h;
    private Path home;
    private Path dir;

    @BeforeAll
    static void install() throws IOException {
        h = LocalHome.create();
    }

    @AfterAll
    static void remove() throws IOException {
        if (h != null) {
            h.close();
        }
    }

    @BeforeEach
    void freshHome() throws IOException {
        dir = h.scratch("t-");
        home = dir.resolve("home");
    }

    private void qmail(String name, String content) throws IOException {
        Files.write(home.resolve(name), content.getBytes(ISO_8859_1));
        Files.setPosixFilePermissions(home.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
    }

    private Result local(String message, Map<String, String> env, String... args) throws Exception {
        return LocalDelivery.run(h.bin("qmail-local"), LocalDelivery.message(dir, message), env, args);
    }

    /** qmail-lspawn's argv for joe-EXT@test.example (joe@ if EXT is empty). */
    private Result deliver(String ext, String sender, String message, Map<String, String> env) throws Exception {
        return local(message, env, "--", "joe", home.toString(), ext.isEmpty() ? "joe" : "joe-" + ext,
                ext.isEmpty() ? "" : "-", ext, DOMAIN, sender, "./Maildir/");
    }

    private Result deliver(String ext, String message) throws Exception {
        return deliver(ext, "bob@example.org", message, Map.of());
    }

    private List<Path> newMail() throws IOException {
        try (Stream<Path> s = Files.list(home.resolve("Maildir/new"))) {
            return s.sorted().collect(Collectors.toList());
        }
    }

    private String read(Path p) throws IOException {
        return new String(Files.readAllBytes(p), ISO_8859_1);
    }

    private String read(String name) throws IOException {
        return read(home.resolve(name));
    }

    @Test
    void maildirGetsReturnPathDeliveredToAndTheMessageUnchanged() throws Exception {
        assertEquals("0 did 1+0+0\n", deliver("", "MAILER-DAEMON@x", MSG, Map.of()).toString());
        List<Path> m = newMail();
        assertEquals(1, m.size());
        assertEquals("Return-Path: <MAILER-DAEMON@x>\nDelivered-To: joe@test.example\n" + MSG, read(m.get(0)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(m.get(0))));
        assertTrue(Pattern.matches("[0-9]+\\.[0-9]+\\.[^/]+", m.get(0).getFileName().toString()), m.toString());
        try (Stream<Path> tmp = Files.list(home.resolve("Maildir/tmp"))) {
            assertEquals(0, tmp.count());
        }
    }

    @Test
    void mboxGetsFromLineHeadersMboxrdQuotingAndABlankLine() throws Exception {
        qmail(".qmail", "./Mailbox\n");
        Files.write(home.resolve("Mailbox"), "old\n".getBytes(ISO_8859_1));
        assertEquals("0 did 1+0+0\n", deliver("", "", "Subject: x\n\nFrom a\n>>From b\nlast", Map.of()).toString());
        String mbox = read("Mailbox");
        Pattern p = Pattern.compile("old\nFrom MAILER-DAEMON (Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z][a-z] [0-3][0-9] "
                + "[0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]{4}\n"
                + "Return-Path: <>\nDelivered-To: joe@test.example\nSubject: x\n\n>From a\n>>>From b\nlast\n\n");
        assertTrue(p.matcher(mbox).matches(), mbox);
    }

    @Test
    void programGetsQmailsEnvironmentCwdUmaskAndTheMessageAsASeekableFile() throws Exception {
        qmail(".qmail-list-default", "|env > env.out; cat > stdin.out; cat /dev/stdin > again.out; pwd > pwd.out;"
                + " umask > umask.out; grep SigIgn /proc/self/status > sig.out\n");
        Result r = deliver("list-Foo.Bar-baz", "bob@example.org", MSG, Map.of("INHERITED", "yes", "DEFAULT", "old"));
        assertEquals("0 did 0+0+1\n", r.toString());
        Map<String, String> env = new TreeMap<>();
        for (String l : read("env.out").replaceFirst("\n$", "").split("\n(?=[A-Z_0-9]+=)")) {
            int eq = l.indexOf('=');
            env.put(l.substring(0, eq), l.substring(eq + 1));
        }
        assertEquals("yes", env.get("INHERITED"));
        assertEquals(DOMAIN, env.get("HOST"));
        assertEquals(home.toString(), env.get("HOME"));
        assertEquals("joe", env.get("USER"));
        assertEquals("joe-list-Foo.Bar-baz", env.get("LOCAL"));
        assertEquals("joe-list-Foo.Bar-baz@test.example", env.get("RECIPIENT"));
        assertEquals("bob@example.org", env.get("SENDER"));
        assertEquals("bob@example.org", env.get("NEWSENDER"));
        assertEquals("Delivered-To: joe-list-Foo.Bar-baz@test.example\n", env.get("DTLINE"));
        assertEquals("Return-Path: <bob@example.org>\n", env.get("RPLINE"));
        assertTrue(env.get("UFLINE").startsWith("From bob@example.org "), env.get("UFLINE"));
        assertEquals("list-Foo.Bar-baz", env.get("EXT"));
        assertEquals("Foo.Bar-baz", env.get("EXT2"));
        assertEquals("baz", env.get("EXT3"));
        assertEquals("", env.get("EXT4"));
        assertEquals("test", env.get("HOST2"));
        assertEquals("test", env.get("HOST3"));
        assertEquals("test", env.get("HOST4"));
        assertEquals("Foo.Bar-baz", env.get("DEFAULT"));
        assertEquals(MSG, read("stdin.out"));
        assertEquals(MSG, read("again.out"), "stdin is a regular file, reopenable from its start");
        assertEquals(home + "\n", read("pwd.out"));
        assertEquals("0077\n", read("umask.out"));
        long ignored = Long.parseLong(read("sig.out").split("\t")[1].trim(), 16);
        assertEquals(0, ignored & (1L << (13 - 1)), "SIGPIPE is not ignored");
    }

    @Test
    void dotsBecomeColonsAndCaseFoldsForTheFileButNotForDefault() throws Exception {
        qmail(".qmail-p:d:q:bach", "./bach\n");
        qmail(".qmail-default", "|echo \"$DEFAULT\" > default.out\n");
        assertEquals("0 did 1+0+0\n", deliver("P.D.Q.Bach", MSG).toString());
        assertTrue(read("bach").contains("Delivered-To: joe-P.D.Q.Bach@test.example\n"));
        assertEquals("0 did 0+0+1\n", deliver("Other.One", MSG).toString());
        assertEquals("Other.One\n", read("default.out"));
    }

    @Test
    void unknownExtensionBounces() throws Exception {
        assertEquals("100 Sorry, no mailbox here by that name. (#5.1.1)\n", deliver("nobody", MSG).toString());
    }

    @Test
    void exit99StopsTheFileButEarlierForwardsAreStillSent() throws Exception {
        Path qq = queueScript();
        qmail(".qmail-stop", "&fw@example.net\n|exit 99\n./Maildir/\n");
        Result r = deliver("stop", "bob@example.org", MSG, Map.of("QMAILQUEUE", qq.toString()));
        assertTrue(Pattern.matches("0 did 0\\+1\\+1\nqp [0-9]+\n", r.toString()), r.toString());
        assertEquals(List.of(), newMail());
        assertEquals("Delivered-To: joe-stop@test.example\n" + MSG, read(dir.resolve("qq.msg")));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", value = {
        "exit 0 => 0 => did 0+0+1\\n",
        "exit 99 => 0 => did 0+0+1\\n",
        "exit 100 => 100 => ''",
        "exit 64 => 100 => ''",
        "exit 65 => 100 => ''",
        "exit 70 => 100 => ''",
        "exit 76 => 100 => ''",
        "exit 77 => 100 => ''",
        "exit 78 => 100 => ''",
        "exit 112 => 100 => ''",
        "exit 1 => 111 => ''",
        "exit 111 => 111 => ''",
        "exit 75 => 111 => ''",
        "kill -9 $$ => 111 => Aack, child crashed. (#4.3.0)\\n",
        "echo said this; echo and that >&2; exit 100 => 100 => said this\\nand that\\n"})
    void programExitCodesDecide(String command, int exit, String report) throws Exception {
        qmail(".qmail-p", "|" + command + "\n");
        Result r = deliver("p", MSG);
        assertEquals(exit + " " + report.replace("\\n", "\n"), r.toString());
    }

    @Test
    void forwardsGoToQmailqueueWithDtlineNewsenderAndVerbatimRecipients() throws Exception {
        Path qq = queueScript();
        qmail(".qmail-fw", "&one@example.net\ntwo@example.net\n./Maildir/\n");
        qmail(".qmail-fw-owner", "");
        Result r = deliver("fw", "bob@example.org", MSG, Map.of("QMAILQUEUE", qq.toString()));
        assertTrue(Pattern.matches("0 did 1\\+2\\+0\nqp [0-9]+\n", r.toString()), r.toString());
        assertEquals("Delivered-To: joe-fw@test.example\n" + MSG, read(dir.resolve("qq.msg")));
        assertEquals("Fjoe-fw-owner@test.example\0Tone@example.net\0Ttwo@example.net\0\0", read(dir.resolve("qq.env")));
        assertEquals(1, newMail().size());
    }

    @Test
    void queueRefusalIsReportedWithItsLetter() throws Exception {
        Path qq = dir.resolve("qq-refuse");
        Files.write(qq, "#!/bin/sh\ncat >/dev/null; exit 31\n".getBytes(ISO_8859_1));
        Files.setPosixFilePermissions(qq, PosixFilePermissions.fromString("rwxr-xr-x"));
        qmail(".qmail-fw", "one@example.net\n");
        Result r = deliver("fw", "bob@example.org", MSG, Map.of("QMAILQUEUE", qq.toString()));
        assertEquals("100 Unable to forward message: mail server permanently rejected message (#5.3.0).\n", r.toString());
    }

    /** A QMAILQUEUE program copying fd 0 and fd 1 to files next to the home. */
    private Path queueScript() throws IOException {
        Path qq = dir.resolve("qq");
        Files.write(qq, ("#!/bin/sh\ncat > '" + dir.resolve("qq.msg") + "'\ncat <&1 > '" + dir.resolve("qq.env")
                + "'\nexit 0\n").getBytes(ISO_8859_1));
        Files.setPosixFilePermissions(qq, PosixFilePermissions.fromString("rwxr-xr-x"));
        return qq;
    }

    @Test
    void loopingMessageBounces() throws Exception {
        Result r = deliver("", "Received: x\nDelivered-To: joe@test.example\n\nbody\n");
        assertEquals("100 This message is looping: it already has my Delivered-To line. (#5.4.6)\n", r.toString());
        assertEquals(List.of(), newMail());
    }

    @Test
    void stickyHomeDefers() throws Exception {
        Files.setAttribute(home, "unix:mode", 01755);
        assertEquals("111 Home directory is sticky: user is editing his .qmail file. (#4.2.1)\n",
                deliver("", MSG).toString());
        assertEquals(List.of(), newMail());
    }

    @Test
    void worldWritableHomeDefers() throws Exception {
        Files.setAttribute(home, "unix:mode", 0757);
        assertEquals("111 Uh-oh: home directory is writable. (#4.7.0)\n", deliver("", MSG).toString());
    }

    @Test
    void worldWritableDotQmailDefers() throws Exception {
        qmail(".qmail", "./Maildir/\n");
        Files.setAttribute(home.resolve(".qmail"), "unix:mode", 0646);
        assertEquals("111 Uh-oh: .qmail file is writable. (#4.7.0)\n", deliver("", MSG).toString());
    }

    @Test
    void listModePrintsInsteadOfDelivering() throws Exception {
        qmail(".qmail", "./Maildir/\n|prog\n&a@b\n");
        Files.setAttribute(home, "unix:mode", 01755);
        Result r = local("Delivered-To: joe@test.example\n\n", Map.of(), "-n", "joe", home.toString(), "joe", "", "",
                DOMAIN, "s@x", "./Maildir/");
        assertEquals("0 Warning: home directory is sticky.\nmaildir ./Maildir/\nprogram prog\nforward a@b\ndid 1+1+1\n",
                r.toString());
        assertEquals(List.of(), newMail());
    }

    @Test
    void badInvocations() throws Exception {
        String usage = "qmail-local: usage: qmail-local [ -nN ] user homedir local dash ext domain sender aliasempty\n";
        assertEquals("100 " + usage, local(MSG, Map.of(), "joe", "relative", "joe", "-", "x", "h", "s", "./Maildir/")
                .toString());
        assertEquals("100 qmail-local: illegal option -- x\n" + usage,
                local(MSG, Map.of(), "-x", "joe", "/h", "joe", "-", "x", "h", "s", "./Maildir/").toString());
        assertEquals("111 Unable to switch to /nonexistent: file does not exist. (#4.3.0)\n",
                local(MSG, Map.of(), "joe", "/nonexistent", "joe", "-", "x", "h", "s", "./Maildir/").toString());
    }

    @Test
    void pipeOnStdinCannotBeRewound() throws Exception {
        Result r = LocalDelivery.run(List.of("sh", "-c", "printf 'a\\n' | \"$0\" \"$@\""), h.bin("qmail-local"), null,
                Map.of(), "joe", home.toString(), "joe", "", "", DOMAIN, "s@x", "./Maildir/");
        assertEquals("111 Unable to rewind message. (#4.3.0)\n", r.toString());
    }

    /** doc/CODING.md §1: qmail-local exits 0, 100 or 111, whatever happens. */
    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "-n",
        "--",
        "-nN -- joe HOME joe '' '' h s ./Maildir/",
        "joe HOME joe - nosuch h s ./Maildir/",
        "joe HOME joe '' '' h s ./nodir/Mailbox",
        "joe HOME joe '' '' h s ./nodir/",
        "joe HOME joe '' '' h s |kill${IFS}-SEGV${IFS}$$",
        "joe HOME joe '' '' h s |exit${IFS}3",
        "joe HOME joe '' '' h s \\n",
        "joe HOME joe '' '' h s &",
        "joe HOME joe '' '' h s ./Maildir/ extra"})
    void exitCodeIsAlwaysZeroHundredOrHundredEleven(String args) throws Exception {
        String[] a = args.isEmpty() ? new String[0] : args.split(" ");
        for (int i = 0; i < a.length; i++) {
            a[i] = a[i].equals("''") ? "" : a[i].replace("HOME", home.toString()).replace("${IFS}", " ");
        }
        Result r = local(MSG, Map.of(), a);
        assertTrue(r.exit() == 0 || r.exit() == 100 || r.exit() == 111, r.toString());
        Path empty = Files.createTempFile(dir, "empty", "");
        Result e = LocalDelivery.run(h.bin("qmail-local"), empty, new HashMap<>(), a);
        assertTrue(e.exit() == 0 || e.exit() == 100 || e.exit() == 111, e.toString());
    }

    @Test
    void directoryOnStdinIsATemporaryReadError() throws Exception {
        Result r = LocalDelivery.run(List.of("sh", "-c", "exec \"$0\" \"$@\" < " + home), h.bin("qmail-local"), null,
                Map.of(), "joe", home.toString(), "joe", "", "", DOMAIN, "s@x", "./Maildir/");
        assertEquals("111 Unable to read message: is a directory. (#4.3.0)\n", r.toString());
    }

    @Test
    void mboxLockedByAnotherProcessIsWaitedFor() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 holds the fcntl lock");
        qmail(".qmail", "./Mailbox\n");
        Path mbox = home.resolve("Mailbox");
        Files.write(mbox, new byte[0]);
        Process holder = new ProcessBuilder("/usr/bin/python3", "-c",
                "import fcntl,os,sys,time\nf=open(sys.argv[1],'a')\nfcntl.lockf(f,fcntl.LOCK_EX)\n"
                + "print('locked',flush=True)\ntime.sleep(3)\nprint(os.path.getsize(sys.argv[1]),flush=True)\n",
                mbox.toString()).start();
        try {
            assertEquals("locked\n", new String(holder.getInputStream().readNBytes(7), ISO_8859_1));
            assertEquals("0 did 1+0+0\n", deliver("", MSG).toString());
            assertEquals("0\n", new String(holder.getInputStream().readAllBytes(), ISO_8859_1),
                    "nothing was written while the lock was held");
            assertTrue(read("Mailbox").contains("Delivered-To: joe@test.example\n"));
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
    }
}
