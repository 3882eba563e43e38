package org.jqmail.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jqmail.control.Auto;
import org.jqmail.control.Control;
import org.jqmail.io.Bytes;

/**
 * {@code qmailctl doctor}: checks an installation and says in plain words what is wrong.
 *
 * <p>Looks at the accounts and their primary groups (doc/ARCHITECTURE.md §4), owners and modes of
 * the tree and the queue (the same section and doc/QUEUE.md §1), the control files qmail cannot
 * do without or would misread (qmail-control(5)), qmail-queued's socket, and the running daemons
 * with their uids ({@link Procs}). Prints one line per finding, {@code ok:} or {@code PROBLEM:},
 * and a summary; the daemons of another installation on the same machine (its own qmail home)
 * get an {@code info:} line and are not judged; {@link #run} returns 1 if anything is wrong.
 */
final class Doctor {
    private static final String[][] USERS = {
        {Auto.ALIAS, Auto.NOFILES}, {Auto.QMAILD, Auto.NOFILES}, {Auto.QMAILL, Auto.NOFILES},
        {Auto.QMAILP, Auto.NOFILES}, {Auto.QMAILQ, Auto.QMAIL}, {Auto.QMAILR, Auto.QMAIL},
        {Auto.QMAILS, Auto.QMAIL}};
    private static final String[] INT_FILES = {"concurrencylocal", "concurrencyremote", "databytes",
        "queuelifetime", "timeoutconnect", "timeoutremote", "timeoutsmtpd"};

    private final Auto auto;
    private final Passwd pw;
    private final Procs procs;
    private final OutputStream out;
    private int problems;

    Doctor(Auto auto, Passwd pw, Procs procs, OutputStream out) {
        this.auto = auto;
        this.pw = pw;
        this.procs = procs;
        this.out = out;
    }

    int run() throws IOException {
        say("Checking the qmail installation in " + auto.home()
                + (auto.singleUser() ? " (single-user install: every role is " + auto.user(Auto.QMAILS) + ")" : "")
                + "\n");
        users();
        tree();
        controls();
        keys();
        socket();
        daemons();
        say(problems == 0 ? "No problems found.\n"
                : problems + (problems == 1 ? " problem" : " problems") + " found.\n");
        return problems == 0 ? 0 : 1;
    }

    private void ok(String s) throws IOException {
        say("ok: " + s + "\n");
    }

    private void problem(String s) throws IOException {
        problems++;
        say("PROBLEM: " + s + "\n");
    }

    private void say(String s) throws IOException {
        out.write(Bytes.ascii(s));
        out.flush();
    }

    private int uid(String role) throws IOException {
        Passwd.User u = pw.user(auto.user(role));
        return u == null ? -1 : u.uid();
    }

    private int gid(String role) throws IOException {
        Passwd.Group g = pw.group(auto.group(role));
        return g == null ? -1 : g.gid();
    }

    private void users() throws IOException {
        int before = problems;
        if (!auto.singleUser()) {
            for (String g : new String[] {Auto.QMAIL, Auto.NOFILES}) {
                if (pw.group(auto.group(g)) == null) {
                    problem("group " + auto.group(g) + " does not exist; scripts/install creates it");
                }
            }
        }
        for (String[] r : USERS) {
            Passwd.User u = pw.user(auto.user(r[0]));
            if (u == null) {
                problem("user " + auto.user(r[0]) + " does not exist; scripts/install creates it");
                continue;
            }
            int want = gid(r[1]);
            if (!auto.singleUser() && want >= 0 && u.gid() != want) {
                problem("user " + u.name() + " has primary group " + pw.groupName(u.gid()) + "; it must be "
                        + auto.group(r[1]));
            }
        }
        if (problems == before) {
            ok("users and groups");
        }
    }

    /** One row of the tree table: path, owner role, mode, kind ('d' dir, 'f' file, 'p' FIFO). */
    private record Want(String path, String owner, int mode, char kind) {
    }

    private List<Want> wanted() {
        List<Want> w = new ArrayList<>();
        w.add(new Want("", Auto.ROOT, 0755, 'd'));
        for (String d : new String[] {"control", "users", "bin"}) {
            w.add(new Want(d, Auto.ROOT, 0755, 'd'));
        }
        w.add(new Want("alias", Auto.ALIAS, 02755, 'd'));
        w.add(new Want("queue", Auto.QMAILQ, 0750, 'd'));
        w.add(new Want("queue/pid", Auto.QMAILQ, 0700, 'd'));
        w.add(new Want("queue/intd", Auto.QMAILQ, 0700, 'd'));
        w.add(new Want("queue/todo", Auto.QMAILQ, 0750, 'd'));
        w.add(new Want("queue/bounce", Auto.QMAILS, 0700, 'd'));
        w.add(new Want("queue/lock", Auto.QMAILQ, 0750, 'd'));
        w.add(new Want("queue/lock/tcpto", Auto.QMAILR, 0644, 'f'));
        w.add(new Want("queue/lock/sendmutex", Auto.QMAILS, 0600, 'f'));
        w.add(new Want("queue/lock/trigger", Auto.QMAILS, 0622, 'p'));
        w.add(new Want("queue/mess", Auto.QMAILQ, 0750, 'd'));
        for (String d : new String[] {"info", "local", "remote"}) {
            w.add(new Want("queue/" + d, Auto.QMAILS, 0700, 'd'));
        }
        for (int i = 0; i < auto.split(); i++) {
            w.add(new Want("queue/mess/" + i, Auto.QMAILQ, 0750, 'd'));
            for (String d : new String[] {"info", "local", "remote"}) {
                w.add(new Want("queue/" + d + "/" + i, Auto.QMAILS, 0700, 'd'));
            }
        }
        w.add(new Want("sock", Auto.QMAILQ, 0755, 'd'));
        return w;
    }

    private void tree() throws IOException {
        int before = problems;
        int qmailGid = gid(Auto.QMAIL);
        for (Want w : wanted()) {
            Path p = w.path().isEmpty() ? auto.home() : auto.home().resolve(w.path());
            Map<String, Object> a;
            try {
                a = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                problem(p + " is missing; scripts/install creates it");
                continue;
            }
            int mode = (Integer) a.get("mode");
            char kind = Procs.kind(mode);
            if (kind != w.kind()) {
                problem(p + " should be a " + Procs.kindName(w.kind()) + " but is a " + Procs.kindName(kind));
                continue;
            }
            int want = uid(w.owner());
            int owner = (Integer) a.get("uid");
            if (want >= 0 && owner != want) {
                problem(p + " is owned by " + pw.userName(owner) + "; it must be owned by " + auto.user(w.owner()));
            }
            if ((mode & 07777) != w.mode()) {
                problem(p + " has mode " + octal(mode & 07777) + "; it must be " + octal(w.mode()));
            }
            if (w.path().startsWith("queue") && qmailGid >= 0 && (Integer) a.get("gid") != qmailGid
                    && !auto.singleUser()) {
                problem(p + " has group " + pw.groupName((Integer) a.get("gid")) + "; it must be "
                        + auto.group(Auto.QMAIL));
            }
        }
        Path tcpto = auto.queueDir().resolve("lock/tcpto");
        if (Files.isRegularFile(tcpto) && Files.size(tcpto) != 1024) {
            problem(tcpto + " is " + Files.size(tcpto) + " bytes long; it must be exactly 1024");
        }
        if (problems == before) {
            ok("owners and modes of " + auto.home() + " and its queue");
        }
    }

    static String octal(int m) {
        String s = Integer.toOctalString(m);
        return "0000".substring(Math.min(4, s.length())) + s;
    }

    private void controls() throws IOException {
        int before = problems;
        Control c = Control.forHome(auto.home());
        byte[] me = null;
        try {
            me = c.readLine("me");
            if (me == null || me.length == 0) {
                problem("control/me is missing or empty: qmail does not know this host's name"
                        + " (put the fully qualified host name in it)");
            }
        } catch (IOException e) {
            problem("control/me cannot be read: " + e.getMessage());
        }
        try {
            if (c.readFile("locals", me != null) == null) {
                problem("control/locals is missing and so is control/me: qmail-send will not start");
            }
        } catch (IOException e) {
            problem("control/locals cannot be read: " + e.getMessage());
        }
        try {
            if (c.readFile("rcpthosts", false) == null) {
                problem("control/rcpthosts is missing: qmail-smtpd accepts mail for any domain (an open relay);"
                        + " list the domains this host receives mail for");
            }
        } catch (IOException e) {
            problem("control/rcpthosts cannot be read: " + e.getMessage());
        }
        for (String f : INT_FILES) {
            try {
                byte[] v = c.readLine(f);
                if (v != null && (v.length == 0 || v[0] < '0' || v[0] > '9')) {
                    problem("control/" + f + " does not start with a number, so it is ignored and the default used");
                }
            } catch (IOException e) {
                problem("control/" + f + " cannot be read: " + e.getMessage());
            }
        }
        for (String f : new String[] {"concurrencylocal", "concurrencyremote"}) {
            byte[] v = c.readLine(f);
            if (v != null && org.jqmail.io.Scan.cInt(v, 0) > auto.spawn()) {
                problem("control/" + f + " is above the silent concurrency limit " + auto.spawn()
                        + "; qmail-send uses " + auto.spawn());
            }
        }
        if (problems == before) {
            ok("control files");
        }
    }

    /**
     * The TLS key files (doc/TLS.md §2): servercert.pem holds qmail-smtpd's private key and
     * must be readable by qmaild (the listener and qmail-smtpd run as qmaild) and nobody else;
     * clientcert.pem the same for qmailr (qmail-remote).
     */
    private void keys() throws IOException {
        String[][] files = {{"servercert.pem", Auto.QMAILD}, {"clientcert.pem", Auto.QMAILR}};
        for (String[] f : files) {
            Path p = auto.home().resolve("control").resolve(f[0]);
            Map<String, Object> a;
            try {
                a = Files.readAttributes(p, "unix:uid,mode");
            } catch (IOException e) {
                continue;
            }
            int mode = (Integer) a.get("mode") & 07777;
            int want = uid(f[1]);
            int owner = (Integer) a.get("uid");
            if (want >= 0 && owner != want && !auto.singleUser()) {
                problem(p + " is owned by " + pw.userName(owner) + "; it holds a private key and must be owned by "
                        + auto.user(f[1]) + " (chown " + auto.user(f[1]) + " " + p + ")");
            } else if ((mode & 077) != 0 || (mode & 0400) == 0) {
                problem(p + " has mode " + octal(mode) + "; it holds a private key and must be 0400 or 0600"
                        + " (chmod 400 " + p + ")");
            } else {
                ok(p + " readable by " + pw.userName(owner) + " only");
            }
        }
    }

    private void socket() throws IOException {
        Path s = auto.queueSocket();
        Map<String, Object> a;
        try {
            a = Files.readAttributes(s, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            problem(s + " does not exist: qmail-queued is not running, so nobody can queue mail");
            return;
        }
        int mode = (Integer) a.get("mode");
        if (Procs.kind(mode) != 's') {
            problem(s + " is not a socket");
        } else if ((mode & 0777) != 0777) {
            problem(s + " has mode " + octal(mode & 07777) + "; local users need 0777 to queue mail");
        } else {
            ok("queue socket " + s);
        }
    }

    private void daemons() throws IOException {
        String[][] want = {{"qmail-send", Auto.QMAILS}, {"qmail-lspawn", Auto.ROOT}, {"qmail-rspawn", Auto.QMAILR},
            {"qmail-clean", Auto.QMAILQ}, {"qmail-queued", Auto.QMAILQ}};
        for (String[] d : want) {
            for (Procs.Proc p : procs.others(d[0], auto.home())) {
                say("info: " + d[0] + " (pid " + p.pid() + ", running as " + pw.userName(p.uid())
                        + ") belongs to another installation; not checked\n");
            }
            List<Procs.Proc> l = procs.find(d[0], auto.home());
            if (l.isEmpty()) {
                problem(d[0] + " is not running");
                continue;
            }
            int uid = auto.singleUser() ? uid(Auto.QMAILS) : uid(d[1]);
            for (Procs.Proc p : l) {
                if (uid >= 0 && p.uid() != uid) {
                    problem(d[0] + " (pid " + p.pid() + ") runs as " + pw.userName(p.uid()) + "; it must run as "
                            + pw.userName(uid));
                } else {
                    ok(d[0] + " running as " + pw.userName(p.uid()) + " (pid " + p.pid() + ")");
                }
            }
        }
        List<Procs.Proc> smtpd = procs.find("qmail-smtpd-listener", auto.home());
        for (Procs.Proc p : smtpd) {
            int uid = uid(Auto.QMAILD);
            if (!auto.singleUser() && p.uid() != uid) {
                problem("the SMTP listener (pid " + p.pid() + ") runs as " + pw.userName(p.uid()) + "; it must run as "
                        + auto.user(Auto.QMAILD));
            } else {
                ok("SMTP listener running as " + pw.userName(p.uid()) + " (pid " + p.pid() + ")");
            }
        }
    }
}
