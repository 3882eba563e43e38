package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jqmail.control.Auto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bin/qmail-rspawn speaking the spawn protocol (doc/PROTOCOLS.md §3, qmail-rspawn(8)) on fds 0 and
 * 1 as a real process, as qmail-start starts it (as qmailr when the tests run as root): the
 * concurrency byte, the timeout table zeroed at start, in-process deliveries folded into one
 * report each, and {@code QMAILREMOTE} run as a program, including the exit-status texts.
 */
class RspawnIT {
    static TestHome home;
    static Dnsmasq dns;
    static int port;
    static final String MESS = "11/103";

    @BeforeAll
    static void setUp() throws Exception {
        home = TestHome.create();
        dns = Dnsmasq.start(home.dir(), List.of("example.test"), List.of(
                "mx-host=mx.example.test,mx1.example.test,10", "host-record=mx1.example.test,127.0.0.2",
                "mx-host=other.example.test,mx2.example.test,10", "host-record=mx2.example.test,127.0.0.3"));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.2"))) {
            port = s.getLocalPort();
        }
        home.control("helohost", "helo.test.example\n");
        message(MESS, "Subject: rspawn\n\n.dot\nbody\n");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (dns != null) {
            dns.close();
        }
        if (home != null) {
            home.close();
        }
    }

    /** Writes queue/mess/NAME owned by qmailq, as qmail-queue leaves it. */
    static void message(String name, String text) throws IOException {
        Path p = home.queue().resolve("mess").resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, text.getBytes(ISO_8859_1));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        if (TestHome.isRoot()) {
            Auto auto = Auto.load(home.prefix());
            UserPrincipalLookupService u = p.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(p, u.lookupPrincipalByName(auto.user(Auto.QMAILQ)));
        }
    }

    static byte[] cmd(int slot, String mess, String sender, String rcpt) {
        return (((char) slot) + mess + "\0" + sender + "\0" + rcpt + "\0").getBytes(ISO_8859_1);
    }

    /**
     * Starts qmail-rspawn (as qmailr via setpriv when root, like qmail-start), feeds it
     * {@code cmds}, closes its input, waits for it to exit 0 and returns its output split into
     * the announcement and "slot:text" reports, in slot order.
     */
    static List<String> rspawn(Map<String, String> extraEnv, byte[]... cmds) throws Exception {
        return rspawn(true, extraEnv, cmds);
    }

    static List<String> rspawn(boolean asQmailStart, Map<String, String> extraEnv, byte[]... cmds) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("JQMAIL_DNS_SERVER", dns.server());
        env.put("JQMAIL_SMTP_PORT", Integer.toString(port));
        env.putAll(extraEnv);
        List<String> argv = new ArrayList<>();
        if (TestHome.isRoot() && asQmailStart) {
            Auto auto = Auto.load(home.prefix());
            argv.addAll(List.of("/usr/bin/setpriv", "--reuid=" + auto.user(Auto.QMAILR), "--regid=" + auto.group(Auto.QMAIL),
                    "--init-groups"));
        }
        argv.add(home.bin("qmail-rspawn").toString());
        TestHome.Proc p = home.start(env, argv.toArray(new String[0]));
        try (OutputStream in = p.stdin()) {
            for (byte[] c : cmds) {
                in.write(c);
            }
        }
        assertEquals(0, p.waitFor(Duration.ofSeconds(120)), p.err());
        byte[] out = Files.readAllBytes(p.outFile());
        List<String> r = new ArrayList<>();
        r.add("limit=" + (out[0] & 0xff));
        for (int i = 1; i < out.length;) {
            int slot = out[i++] & 0xff;
            int j = i;
            while (out[j] != 0) {
                j++;
            }
            r.add(slot + ":" + new String(out, i, j - i, ISO_8859_1));
            i = j + 1;
        }
        r.subList(1, r.size()).sort(null);
        return r;
    }

    @Test
    void inProcessDeliveriesAreFoldedAndTheTableIsZeroed() throws Exception {
        byte[] junk = new byte[1024];
        java.util.Arrays.fill(junk, (byte) 9);
        Path tcpto = home.queue().resolve("lock/tcpto");
        Files.write(tcpto, junk);
        try (ScriptedPeer ok = ScriptedPeer.on("127.0.0.2", port, "220 mx1\r\n");
             ScriptedPeer no = ScriptedPeer.on("127.0.0.3", port, "220 mx2\r\n", "250 h\r\n", "250 m\r\n",
                     "550 5.1.1 unknown user\r\n")) {
            List<String> r = rspawn(Map.of(),
                    cmd(3, MESS, "a@b.test", "joe@mx.example.test"),
                    cmd(4, MESS, "a@b.test", "bob@other.example.test"),
                    cmd(5, MESS, "", "x@nosuch.example.test"),
                    cmd(130, MESS, "", "x@mx.example.test"),
                    cmd(6, "11/999", "", "x@mx.example.test"),
                    cmd(7, MESS, "", "nohost"));
            assertEquals(List.of("limit=120",
                    "130:ZInternal error: delnum too big. (#4.3.5)\n",
                    "3:K127.0.0.2 accepted message.\nRemote host said: 250 ok\n",
                    "4:D127.0.0.3 does not like recipient.\nRemote host said: 550 5.1.1 unknown user\n"
                        + "Giving up on 127.0.0.3.\n",
                    "5:DSorry, I couldn't find any host named nosuch.example.test. (#5.1.2)\n",
                    "6:Zqmail-spawn unable to open message. (#4.3.0)\n",
                    "7:DSorry, address must include host name. (#5.1.3)\n"), r);
            assertEquals("HELO helo.test.example\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<joe@mx.example.test>\r\nDATA\r\n"
                    + "Subject: rspawn\r\n\r\n..dot\r\nbody\r\n.\r\nQUIT\r\n", ok.received(0));
        }
        assertArrayEquals(new byte[1024], Files.readAllBytes(tcpto));
    }

    @Test
    void qmailRemoteProgramGivesTheSameReports() throws Exception {
        try (ScriptedPeer ok = ScriptedPeer.on("127.0.0.2", port, "220 mx1\r\n");
             ScriptedPeer no = ScriptedPeer.on("127.0.0.3", port, "220 mx2\r\n", "250 h\r\n", "250 m\r\n",
                     "451 later\r\n")) {
            List<String> r = rspawn(Map.of("QMAILREMOTE", home.bin("qmail-remote").toString()),
                    cmd(0, MESS, "a@b.test", "joe@mx.example.test"),
                    cmd(1, MESS, "a@b.test", "bob@other.example.test"));
            assertEquals(List.of("limit=120",
                    "0:K127.0.0.2 accepted message.\nRemote host said: 250 ok\n",
                    "1:Z127.0.0.3 does not like recipient.\nRemote host said: 451 later\nGiving up on 127.0.0.3.\n"), r);
        }
    }

    static String script(String name, String body) throws IOException {
        Path p = home.dir().resolve(name);
        Files.write(p, ("#!/bin/sh\n" + body + "\n").getBytes(ISO_8859_1));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p.toString();
    }

    @Test
    void exitStatusesOfTheProgram() throws Exception {
        String[][] cases = {
            {script("crash.sh", "kill -9 $$"), "Zqmail-remote crashed.\n"},
            {script("silent.sh", "exit 0"), "Zqmail-remote produced no output.\n"},
            {script("soft.sh", "echo oops; exit 111"), "ZUnable to run qmail-remote.\n"},
            {script("hard.sh", "exit 3"), "DUnable to run qmail-remote.\n"},
            {home.dir().resolve("missing").toString(), "DUnable to run qmail-remote.\n"},
            {script("args.sh", "printf 'r\\0K%s|%s|%s|%s\\n\\0' \"$1\" \"$2\" \"$3\" \"$(cat)\""),
                "Kx.example.test|s@y|a@b@x.example.test|Subject: rspawn\n\n.dot\nbody\n"},
            {script("stderr.sh", "printf 'Z' >&2; printf 'from stderr\\n\\0'"), "Zfrom stderr\n"}};
        for (String[] c : cases) {
            assertEquals(List.of("limit=120", "9:" + c[1]),
                    rspawn(Map.of("QMAILREMOTE", c[0]), cmd(9, MESS, "s@y", "a@b@x.example.test")), c[0]);
        }
    }

    @Test
    void startedAsRootItRunsAsQmailrWithQmailrsGroups() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestHome.isRoot(), "needs root");
        Auto auto = Auto.load(home.prefix());
        String who = script("who.sh", "printf 'r\\0K%s %s\\n\\0' \"$(id -un)\" \"$(id -Gn)\"");
        TestHome.Result groups = TestHome.exec(List.of("id", "-Gn", auto.user(Auto.QMAILR)), null, Duration.ofSeconds(10));
        assertEquals(List.of("limit=120", "2:K" + auto.user(Auto.QMAILR) + " " + groups.outText()),
                rspawn(false, Map.of("QMAILREMOTE", who), cmd(2, MESS, "s@y", "a@x.example.test")));
    }
}
