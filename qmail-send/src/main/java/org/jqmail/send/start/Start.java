package org.jqmail.send.start;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.io.Out;
import org.jqmail.io.Prot;
import org.jqmail.io.nat.Posix;

/**
 * qmail-start's work (qmail-start(8)): resolve the accounts, set this process's groups to {qmail},
 * start the logger (qmaill/nofiles), qmail-lspawn (root), qmail-rspawn (qmailr, with its
 * groups) and qmail-clean (qmailq) on pipes, then wire the pipes onto fds 0..6, drop to qmails
 * and exec qmail-send, so that qmail-send is this very process and supervise's signals reach
 * it directly.
 *
 * <p>The JVM cannot change a child's uid between fork and exec, so each child is started
 * through {@code setpriv} (posix_spawn with an exact descriptor map). Programs are found
 * through {@code PATH}, as execvp does, falling back to {@code QMAILHOME/bin}. In a single-user
 * install no ids change. Any failure returns 111 (qmail-start's only failure code).
 */
final class Start {
    private final Posix px;
    private final Auto auto;
    private final String path;

    Start(Posix px, Auto auto, String path) {
        this.px = px;
        this.auto = auto;
        this.path = path;
    }

    /** Never returns normally on success: the process becomes qmail-send. */
    void run(String defaultDelivery, List<String> logger) throws IOException {
        px.umask(077);
        boolean single = auto.singleUser();
        Posix.Passwd qmaill = user(Auto.QMAILL);
        Posix.Passwd qmailq = user(Auto.QMAILQ);
        Posix.Passwd qmailr = user(Auto.QMAILR);
        Posix.Passwd qmails = user(Auto.QMAILS);
        int nofiles = group(Auto.NOFILES);
        int qmail = group(Auto.QMAIL);
        if (!single) {
            px.setgroups(new int[] {qmail});
            px.setgid(qmail);
        }
        int logOut = 1;
        if (!logger.isEmpty()) {
            int[] lp = px.pipe();
            spawn(single ? null : drop(qmaill.uid(), nofiles), logger, new int[] {lp[0], 1});
            px.close(lp[0]);
            logOut = lp[1];
        }
        int[][] p = new int[6][];
        for (int i = 0; i < 6; i++) {
            p[i] = px.pipe();
        }
        spawn(null, List.of("qmail-lspawn", defaultDelivery), new int[] {p[0][0], p[1][1]});
        List<String> rspawn = List.of("qmail-rspawn");
        try {
            find("qmail-rspawn");
        } catch (IOException e) {
            // Until qmail-rspawn exists: announce a concurrency of 0, which holds remote
            // deliveries in the queue (qmail-send(8)), and wait for the end of the commands.
            Out.err("qmail-start: warning: qmail-rspawn is not installed: remote deliveries are held\n");
            rspawn = List.of("/bin/sh", "-c", "printf '\\000'; exec cat");
        }
        spawn(single ? null : dropInit(qmailr), rspawn, new int[] {p[2][0], p[3][1]});
        spawn(single ? null : drop(qmailq.uid(), qmail), List.of("qmail-clean"),
                new int[] {p[4][0], p[5][1]});
        for (int i = 0; i < 6; i++) {
            px.close(p[i][i % 2 == 0 ? 0 : 1]);
        }
        String send = find("qmail-send");
        if (!single) {
            Prot.drop(px, qmails.uid(), qmail, new int[] {qmail});
        }
        int[] fds = {logOut, p[0][1], p[1][0], p[2][1], p[3][0], p[4][1], p[5][0]};
        become(send, fds);
    }

    private Posix.Passwd user(String role) throws IOException {
        Posix.Passwd pw = px.getpwnam(auto.user(role));
        if (pw == null) {
            throw new IOException("unable to find user " + auto.user(role));
        }
        return pw;
    }

    private int group(String role) throws IOException {
        Posix.Group g = px.getgrnam(auto.group(role));
        if (g == null) {
            throw new IOException("unable to find group " + auto.group(role));
        }
        return g.gid();
    }

    /** setpriv's arguments for uid/gid with exactly the one group. */
    private static List<String> drop(int uid, int gid) {
        return List.of("/usr/bin/setpriv", "--reuid=" + Integer.toUnsignedString(uid),
                "--regid=" + Integer.toUnsignedString(gid), "--groups=" + Integer.toUnsignedString(gid), "--");
    }

    /** setpriv's arguments for qmailr: gid qmail plus qmailr's supplementary groups. */
    private List<String> dropInit(Posix.Passwd pw) throws IOException {
        return List.of("/usr/bin/setpriv", "--reuid=" + Integer.toUnsignedString(pw.uid()),
                "--regid=" + Integer.toUnsignedString(group(Auto.QMAIL)), "--init-groups", "--");
    }

    /** Starts argv[0] (found via PATH) behind the privilege prefix, child fds 0 and 1 mapped. */
    private void spawn(List<String> prefix, List<String> argv, int[] fds01) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (prefix != null) {
            cmd.addAll(prefix);
        }
        List<String> full = new ArrayList<>(argv);
        full.set(0, find(argv.get(0)));
        cmd.addAll(full);
        px.spawn(cmd.get(0), cmd, null, fds01, "/");
    }

    /** execvp's search: each PATH element, then QMAILHOME/bin. */
    String find(String prog) throws IOException {
        if (prog.contains("/")) {
            return prog;
        }
        List<String> dirs = new ArrayList<>();
        if (path != null) {
            dirs.addAll(Arrays.asList(path.split(":", -1)));
        }
        dirs.add(auto.binDir().toString());
        for (String d : dirs) {
            File f = new File(d.isEmpty() ? "." : d, prog);
            if (f.isFile() && f.canExecute()) {
                return f.getPath();
            }
        }
        throw new IOException("unable to find " + prog);
    }

    /**
     * Moves {@code fds[i]} onto descriptor i and execs qmail-send. The exec path is exercised
     * once first (on a name that cannot exist) so that no class needs loading between the
     * dup2 calls, which replace whatever the JVM had on 0..6, and the execve.
     */
    private void become(String send, int[] fds) throws IOException {
        try {
            px.exec("/nonexistent/qmail-start-warm-up", List.of("x"), null, 1 << 20);
        } catch (IOException e) {
            // Expected: ENOENT.
        }
        int[] high = new int[fds.length];
        for (int i = 0; i < fds.length; i++) {
            high[i] = free(900 + i * 3);
            px.dup2(fds[i], high[i]);
        }
        for (int i = 0; i < fds.length; i++) {
            px.dup2(high[i], i);
        }
        px.exec(send, List.of(send), null, fds.length);
    }

    private static int free(int from) {
        int fd = from;
        while (new File("/proc/self/fd/" + fd).exists()) {
            fd++;
        }
        return fd;
    }
}
