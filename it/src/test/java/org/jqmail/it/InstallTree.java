package org.jqmail.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The installed tree as scripts/install must lay it out: doc/ARCHITECTURE.md §4, doc/QUEUE.md §1
 * (qmail's hier.c) with our documented differences, and a {@code find}-based listing to compare it
 * with.
 *
 * <p>Differences from qmail's hier.c, on purpose: {@code bin/qmail-queue} is 0755 root, not 04711
 * qmailq (doc/ARCHITECTURE.md §3); qmail's 0711 programs are 0755 because {@code bin/NAME} is a
 * shell script its non-root user must read; {@code lib/}, {@code sock/}, {@code etc/} and
 * {@code service/} are ours. Owners are roles ({@code root}, {@code qmailq}, ...), mapped to
 * account names by the caller; the group is the qmail group everywhere.
 */
final class InstallTree {
    /** One path's expected owner role, mode (octal) and type ({@code d}, {@code f}, {@code p}). */
    record Want(String owner, int mode, char type) {
    }

    /** One path as {@code find -printf} saw it. */
    record Entry(String path, String owner, String group, int mode, char type, long size, String mtime) {
    }

    private InstallTree() {
    }

    /** Fixed paths (relative to the prefix; "" is the prefix itself). */
    static Map<String, Want> fixed(int split) {
        Map<String, Want> w = new LinkedHashMap<>();
        w.put("", new Want("root", 0755, 'd'));
        for (String d : List.of("control", "users", "bin", "boot", "doc", "man")) {
            w.put(d, new Want("root", 0755, 'd'));
        }
        for (String d : List.of("cat1", "cat5", "cat7", "cat8", "man1", "man5", "man7", "man8")) {
            w.put("man/" + d, new Want("root", 0755, 'd'));
        }
        w.put("alias", new Want("alias", 02755, 'd'));
        w.put("queue", new Want("qmailq", 0750, 'd'));
        w.put("queue/pid", new Want("qmailq", 0700, 'd'));
        w.put("queue/intd", new Want("qmailq", 0700, 'd'));
        w.put("queue/todo", new Want("qmailq", 0750, 'd'));
        w.put("queue/bounce", new Want("qmails", 0700, 'd'));
        w.put("queue/spare", new Want("qmails", 0700, 'd'));
        w.put("queue/qspare", new Want("qmailq", 0700, 'd'));
        splitDirs(w, "queue/mess", "qmailq", 0750, split);
        splitDirs(w, "queue/info", "qmails", 0700, split);
        splitDirs(w, "queue/local", "qmails", 0700, split);
        splitDirs(w, "queue/remote", "qmails", 0700, split);
        w.put("queue/lock", new Want("qmailq", 0750, 'd'));
        w.put("queue/lock/tcpto", new Want("qmailr", 0644, 'f'));
        w.put("queue/lock/sendmutex", new Want("qmails", 0600, 'f'));
        w.put("queue/lock/trigger", new Want("qmails", 0622, 'p'));
        for (String b : List.of("home", "home+df", "proc", "proc+df", "binm1", "binm1+df", "binm2",
                "binm2+df", "binm3", "binm3+df")) {
            w.put("boot/" + b, new Want("root", 0755, 'f'));
        }
        // config-fast's control files and the alias user's empty .qmail files.
        for (String c : List.of("me", "locals", "rcpthosts", "defaultdomain", "plusdomain")) {
            w.put("control/" + c, new Want("root", 0644, 'f'));
        }
        for (String a : List.of("postmaster", "root", "mailer-daemon")) {
            w.put("alias/.qmail-" + a, new Want("alias", 0644, 'f'));
        }
        // Their default delivery, made by install (issue 14).
        for (String d : List.of("", "/tmp", "/new", "/cur")) {
            w.put("alias/Maildir" + d, new Want("alias", 0700, 'd'));
        }
        // Ours.
        w.put("lib", new Want("root", 0755, 'd'));
        w.put("lib/auto", new Want("root", 0644, 'f'));
        w.put("lib/java", new Want("root", 0755, 'f'));
        w.put("lib/cds", new Want("root", 0755, 'd'));
        // What install wrote into each default control file (a later --fqdn may rewrite it).
        w.put("lib/defaults", new Want("root", 0755, 'd'));
        for (String c : List.of("me", "locals", "rcpthosts", "defaultdomain", "plusdomain")) {
            w.put("lib/defaults/" + c, new Want("root", 0644, 'f'));
        }
        w.put("sock", new Want("qmailq", 0755, 'd'));
        w.put("sock/smtpd", new Want("qmaild", 0700, 'd'));
        w.put("etc", new Want("root", 0755, 'd'));
        w.put("etc/tcp.smtp", new Want("root", 0644, 'f'));
        w.put("etc/tcp.smtp.cdb", new Want("root", 0644, 'f'));
        w.put("etc/tcp.qmqp", new Want("root", 0644, 'f'));
        w.put("etc/tcp.qmqp.cdb", new Want("root", 0644, 'f'));
        w.put("service", new Want("root", 0755, 'd'));
        for (String s : List.of("qmail-send", "qmail-smtpd", "qmail-queued", "qmail-pop3d", "qmail-pop3s",
                "qmail-qmtpd", "qmail-qmqpd")) {
            w.put("service/" + s, new Want("root", 0755, 'd'));
            w.put("service/" + s + "/run", new Want("root", 0755, 'f'));
            w.put("service/" + s + "/log", new Want("root", 0755, 'd'));
            w.put("service/" + s + "/log/run", new Want("root", 0755, 'f'));
            w.put("service/" + s + "/log/main", new Want("qmaill", 0755, 'd'));
        }
        return w;
    }

    private static void splitDirs(Map<String, Want> w, String d, String owner, int mode, int split) {
        w.put(d, new Want(owner, mode, 'd'));
        for (int i = 0; i < split; i++) {
            w.put(d + "/" + i, new Want(owner, mode, 'd'));
        }
    }

    /** bin/ programs: doc/ARCHITECTURE.md §4 modes, with the two differences above. */
    static Want program(String name) {
        switch (name) {
            case "qmail-lspawn": case "qmail-start": case "qmail-newu": case "qmail-newmrh":
            case "qmail-queued":
                return new Want("root", 0700, 'f');
            default:
                return new Want("root", 0755, 'f');
        }
    }

    private static final Pattern JAR = Pattern.compile("lib/[^/]+\\.jar");
    private static final Pattern ARCHIVE = Pattern.compile("lib/cds/[^/]+\\.(aot|jsa|key)");
    private static final Pattern PROGRAM = Pattern.compile("bin/([^/]+)");

    /** What a path should be, or null if the install should not have made it. */
    static Want want(Map<String, Want> fixed, String path) {
        Want w = fixed.get(path);
        if (w != null) {
            return w;
        }
        if (JAR.matcher(path).matches() || ARCHIVE.matcher(path).matches()) {
            return new Want("root", 0644, 'f');
        }
        java.util.regex.Matcher m = PROGRAM.matcher(path);
        if (m.matches()) {
            return program(m.group(1));
        }
        return null;
    }

    /** {@code find PREFIX -printf ...}: every path with owner, group, mode, type, size, mtime. */
    static Map<String, Entry> list(Path prefix) throws IOException {
        TestHome.Result r = TestHome.exec(List.of("find", prefix.toString(), "-printf",
                "%P\\t%u\\t%g\\t%m\\t%y\\t%s\\t%T@\\n"), null, Duration.ofMinutes(1));
        assertEquals(0, r.exit(), r.errText());
        Map<String, Entry> m = new LinkedHashMap<>();
        for (String line : r.outText().split("\n")) {
            String[] f = line.split("\t", -1);
            m.put(f[0], new Entry(f[0], f[1], f[2], Integer.parseInt(f[3], 8), f[4].charAt(0),
                    Long.parseLong(f[5]), f[6]));
        }
        return m;
    }

    /**
     * Asserts that every listed path is expected, with its owner, group, mode and type, and
     * that every fixed path exists. {@code account} maps owner roles to names.
     */
    static void check(Map<String, Entry> listing, int split, java.util.function.UnaryOperator<String> account,
            String group) {
        Map<String, Want> fixed = fixed(split);
        List<String> bad = new ArrayList<>();
        for (Entry e : listing.values()) {
            Want w = want(fixed, e.path());
            if (w == null) {
                bad.add("unexpected: " + e.path());
                continue;
            }
            String got = e.owner() + ":" + e.group() + " " + Integer.toOctalString(e.mode()) + " " + e.type();
            String exp = account.apply(w.owner()) + ":" + group + " " + Integer.toOctalString(w.mode()) + " "
                    + w.type();
            if (!got.equals(exp)) {
                bad.add(e.path() + ": " + got + ", want " + exp);
            }
        }
        for (String p : fixed.keySet()) {
            if (!listing.containsKey(p)) {
                bad.add("missing: " + p);
            }
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }
}
