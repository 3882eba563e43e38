package org.jqmail.lspawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jqmail.control.CdbMake;
import org.jqmail.io.Errors;
import org.jqmail.io.nat.Posix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qmail-getpw's rules and qmail-lspawn's per-delivery decisions, with fake accounts and runner. */
class LspawnTest {
    @TempDir
    Path home;

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.ISO_8859_1);
    }

    /** A passwd database and home owners held in maps. */
    static final class FakeAccounts implements Accounts {
        final Map<String, Posix.Passwd> pw = new HashMap<>();
        final Map<String, Object> owner = new HashMap<>();

        FakeAccounts user(String name, int uid, int gid, String home, Object homeOwner) {
            pw.put(name, new Posix.Passwd(name, uid, gid, home, "/bin/sh"));
            owner.put(home, homeOwner);
            return this;
        }

        @Override
        public Posix.Passwd getpwnam(String name) {
            return pw.get(name);
        }

        @Override
        public int owner(String path) throws IOException {
            Object o = owner.get(path);
            if (o instanceof IOException) {
                throw (IOException) o;
            }
            if (o == null) {
                throw new NoSuchFileException(path);
            }
            return (Integer) o;
        }
    }

    static FakeAccounts accounts() {
        return new FakeAccounts()
                .user("alias", 7790, 2108, "/var/qmail/alias", 0)
                .user("joe", 1001, 100, "/home/joe", 1001)
                .user("joe-list", 1002, 100, "/home/jl", 1002)
                .user("ftp", 1003, 100, "/srv/ftp", 0)
                .user("root", 0, 0, "/root", 0)
                .user("nfs", 1004, 100, "/net/nfs", new Errors.ErrnoException("stat", Errors.ESTALE));
    }

    private static String lookup(Getpw g, String local) throws Qlx {
        return s(g.lookup(b(local)).encode());
    }

    @Test
    void getpwPicksTheLongestOwningAccount() throws Qlx {
        Getpw g = new Getpw(accounts(), "alias");
        assertEquals("joe\0" + "1001\0" + "100\0/home/joe\0\0\0", lookup(g, "Joe"));
        assertEquals("joe\0" + "1001\0" + "100\0/home/joe\0-\0Ext-More\0", lookup(g, "JOE-Ext-More"));
        assertEquals("joe-list\0" + "1002\0" + "100\0/home/jl\0-\0x\0", lookup(g, "joe-list-x"));
        assertEquals("alias\0" + "7790\0" + "2108\0/var/qmail/alias\0-\0ftp\0", lookup(g, "ftp"));
        assertEquals("alias\0" + "7790\0" + "2108\0/var/qmail/alias\0-\0root\0", lookup(g, "root"));
        assertEquals("alias\0" + "7790\0" + "2108\0/var/qmail/alias\0-\0PostMaster\0", lookup(g, "PostMaster"));
        assertEquals("alias\0" + "7790\0" + "2108\0/var/qmail/alias\0-\0nobody-joe\0", lookup(g, "nobody-joe"));
    }

    @Test
    void getpwIgnoresCandidatesOf32BytesOrMore() throws Qlx {
        String name31 = "a".repeat(31);
        String name32 = "a".repeat(32);
        FakeAccounts a = accounts().user(name31, 2000, 100, "/h31", 2000).user(name32, 2001, 100, "/h32", 2001);
        Getpw g = new Getpw(a, "alias");
        assertEquals(name31 + "\0" + "2000\0" + "100\0/h31\0\0\0", lookup(g, name31));
        assertEquals(name31 + "\0" + "2000\0" + "100\0/h31\0-\0x\0", lookup(g, name31 + "-x"));
        assertEquals("alias\0" + "7790\0" + "2108\0/var/qmail/alias\0-\0" + name32 + "\0", lookup(g, name32));
    }

    @Test
    void getpwFailuresHaveQmailsExitCodes() {
        assertEquals(115, assertThrows(Qlx.class, () -> new Getpw(accounts(), "alias").lookup(b("nfs"))).code());
        assertEquals(116, assertThrows(Qlx.class, () -> new Getpw(accounts(), "noalias").lookup(b("x"))).code());
    }

    /** Records what it was asked to run and answers with a fixed outcome. */
    static final class FakeRunner implements LocalRunner {
        final List<String> calls = new ArrayList<>();
        Outcome outcome = new Outcome(false, 0, b("did 1+0+0\n"));

        @Override
        public Outcome run(int uid, int gid, List<byte[]> args, Path message) {
            StringBuilder sb = new StringBuilder(uid + "/" + gid);
            for (byte[] a : args) {
                sb.append('|').append(s(a));
            }
            calls.add(sb.toString());
            return outcome;
        }
    }

    private LocalSpawner spawner(FakeRunner r, int selfUid) {
        return new LocalSpawner(new UsersCdb(home.resolve("users/cdb")), new Getpw(accounts(), "alias"), r,
                b("./Maildir/"), selfUid);
    }

    private static String deliver(LocalSpawner sp, String recip) {
        byte[] r = b(recip);
        return s(sp.deliver(0, Path.of("/m"), b("s@x"), r, recip.lastIndexOf('@')));
    }

    @Test
    void deliversAsTheRecipientWithQmailLocalsArguments() throws Exception {
        FakeRunner r = new FakeRunner();
        LocalSpawner sp = spawner(r, -1);
        assertEquals("Kdid 1+0+0\n", deliver(sp, "Joe-Foo@Example.Test"));
        assertEquals(List.of("1001/100|joe|/home/joe|Joe-Foo|-|Foo|Example.Test|s@x|./Maildir/"), r.calls);
        assertEquals("K", deliver(sp, "@example.test"));
        assertEquals("ZNot allowed to perform deliveries as root.\n", deliver(spawner(r, 0), "joe@x"));
        assertEquals(1, r.calls.size());
    }

    @Test
    void usersCdbComesBeforePasswdAndItsUid0IsRefused() throws Exception {
        Files.createDirectories(home.resolve("users"));
        // users/cdb as qmail-newu (qmail-tools) makes it from these users/assign lines:
        // =joe:other:1500:150:/o:::  =boss:root:0:0:/root:::  .
        try (CdbMake m = new CdbMake(home.resolve("users/cdb"))) {
            m.add(b("!joe\0"), b("other\0" + "1500\0" + "150\0" + "/o\0\0"));
            m.add(b("!boss\0"), b("root\0" + "0\0" + "0\0" + "/root\0\0"));
            m.add(new byte[0], new byte[0]);
            m.finish();
        }
        FakeRunner r = new FakeRunner();
        LocalSpawner sp = spawner(r, -1);
        deliver(sp, "joe@x");
        assertEquals(List.of("1500/150|other|/o|joe|||x|s@x|./Maildir/"), r.calls);
        assertEquals("ZNot allowed to perform deliveries as root.\n", deliver(sp, "boss@x"));
    }

    @Test
    void outcomesBecomeQmailLspawnReports() {
        FakeRunner r = new FakeRunner();
        LocalSpawner sp = spawner(r, -1);
        r.outcome = new LocalRunner.Outcome(true, 0, b("partial"));
        assertEquals("Zqmail-local crashed.\n", deliver(sp, "joe@x"));
        r.outcome = new LocalRunner.Outcome(false, 100, b("Sorry, no mailbox here by that name. (#5.1.1)\n"));
        assertEquals("DSorry, no mailbox here by that name. (#5.1.1)\n", deliver(sp, "joe@x"));
        r.outcome = new LocalRunner.Outcome(false, 111, b("Unable to chdir.\0hidden"));
        assertEquals("ZUnable to chdir.", deliver(sp, "joe@x"));
        r.outcome = new LocalRunner.Outcome(false, 126, b(""));
        assertEquals("DUnable to run qmail-local.\n", deliver(sp, "joe@x"));
        r.outcome = new LocalRunner.Outcome(false, 3, b("odd"));
        assertEquals("Dodd", deliver(sp, "joe@x"));
        assertEquals("ZUnable to find alias user!\n", s(new LocalSpawner(new UsersCdb(home.resolve("users/cdb")),
                new Getpw(accounts(), "nobody"), r, b("./Maildir/"), -1)
                .deliver(0, Path.of("/m"), b(""), b("zz@x"), 2)));
    }

    @Test
    void collectedOutputIsTruncatedAt3000Bytes() {
        byte[] big = b("x".repeat(5000));
        byte[] cut = ExecRunner.collect(new java.io.ByteArrayInputStream(big));
        assertEquals("x".repeat(3000 - 31 - 3) + "\nError report too long, sorry.\n", s(cut));
        byte[] exact = ExecRunner.collect(new java.io.ByteArrayInputStream(b("y".repeat(3000))));
        assertEquals(3000, exact.length);
        byte[] over = ExecRunner.collect(new java.io.ByteArrayInputStream(b("y".repeat(3001))));
        assertEquals(2997, over.length);
    }

    @Test
    void setprivCommandSetsExactlyTheOneGroup() {
        assertEquals(List.of("/usr/bin/setpriv", "--reuid=1001", "--regid=100", "--groups=100", "--", "/q/bin/qmail-local"),
                ExecRunner.command(true, 1001, 100, "/q/bin/qmail-local"));
        assertEquals(List.of("/q/bin/qmail-local"), ExecRunner.command(false, 1001, 100, "/q/bin/qmail-local"));
    }
}
