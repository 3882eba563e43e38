package org.jqmail.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.io.Bytes;

/**
 * The daemontools services that {@code scripts/install} creates under
 * {@code QMAILHOME/service} and how qmailctl drives them: through {@code svc}/{@code svstat}
 * on the link under {@code /service} or {@code /etc/service} (the directories svscan watches).
 * A service that is not linked there is not supervised. If its daemon runs all the same
 * (started by scripts/run or by hand; found through {@link Procs} as a process of this
 * installation), stat reports it and doqueue and reload signal it as svc would (SIGALRM,
 * SIGHUP); the other commands need the supervisor and say so. Only when nothing runs does
 * qmailctl say that the service is not supervised, and how to fix that, instead of starting
 * anything behind the supervisor's back.
 */
final class Services {
    /** In start order; stopped in reverse. */
    static final List<String> NAMES = List.of("qmail-queued", "qmail-send", "qmail-smtpd");

    private final Auto auto;
    private final List<Path> scanDirs;
    private final OutputStream out;

    private final Procs procs;

    Services(Auto auto, List<Path> scanDirs, Procs procs, OutputStream out) {
        this.auto = auto;
        this.scanDirs = scanDirs;
        this.procs = procs;
        this.out = out;
    }

    static Services system(Auto auto, OutputStream out) {
        return new Services(auto, List.of(Paths.get("/service"), Paths.get("/etc/service")),
                new Procs(Paths.get("/proc")), out);
    }

    /** The running daemons of service {@code name} of this installation (unsupervised or not). */
    private List<Procs.Proc> running(String name) {
        return procs.find(name.equals("qmail-smtpd") ? "qmail-smtpd-listener" : name, auto.home());
    }

    /** The signal svc sends for {@code flag}, for the flags qmailctl may send without svc. */
    private static String signal(String flag) {
        switch (flag) {
            case "-a": return "ALRM";
            case "-h": return "HUP";
            default: return null;
        }
    }

    /** svc's {@code flag} for an unsupervised service: a signal to its running daemons. */
    private int unsupervised(String n, String flag) throws IOException {
        List<Procs.Proc> l = running(n);
        if (l.isEmpty()) {
            return notSupervised(n);
        }
        String sig = signal(flag);
        int rc = 0;
        for (Procs.Proc p : l) {
            if (sig == null) {
                say(n + ": running (pid " + p.pid() + ") but not supervised: svc " + flag
                        + " needs daemontools (scripts/run stops everything on Ctrl-C)\n");
                rc = 1;
            } else if (!ready(p.pid(), sig)) {
                say(n + ": not supervised; pid " + p.pid() + " is still starting and would die of SIG" + sig
                        + "; not sent, try again\n");
                rc = 1;
            } else {
                say(n + ": not supervised; kill -" + sig + " " + p.pid() + "\n");
                rc |= run(List.of("kill", "-" + sig, Long.toString(p.pid())));
            }
        }
        return rc;
    }

    /**
     * Waits up to 10 seconds for qmail-send ({@code pid}) to have its handlers in place, before
     * it is sent {@code sig}: until then ALRM would end it, and HUP would start the JVM's own
     * shutdown (the JVM catches HUP from its start, so only ALRM, which qmail-send catches last,
     * tells).
     */
    private boolean ready(long pid, String sig) {
        for (int i = 0; i < 100; i++) {
            if (procs.catches(pid, 14)) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Our run directory for {@code name}. */
    Path dir(String name) {
        return auto.home().resolve("service").resolve(name);
    }

    /** The link under a scan directory that leads to our run directory, or null. */
    Path supervised(String name) {
        Path ours = real(dir(name));
        if (ours == null) {
            return null;
        }
        for (Path s : scanDirs) {
            Path p = s.resolve(name);
            if (ours.equals(real(p))) {
                return p;
            }
        }
        return null;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code svc FLAG} on every named service that is supervised; returns 0 if all were. */
    int svc(String flag, List<String> names) throws IOException {
        int rc = 0;
        for (String n : names) {
            Path p = supervised(n);
            if (p == null) {
                rc |= unsupervised(n, flag);
                continue;
            }
            say(n + ": svc " + flag + " " + p + "\n");
            rc |= run(List.of("svc", flag, p.toString()));
        }
        return rc;
    }

    /** {@code svstat} for every service and its log. */
    int stat() throws IOException {
        int rc = 0;
        for (String n : NAMES) {
            Path p = supervised(n);
            if (p == null) {
                List<Procs.Proc> l = running(n);
                for (Procs.Proc r : l) {
                    say(n + ": up (pid " + r.pid() + "), not supervised (started by scripts/run or by hand)\n");
                }
                rc |= l.isEmpty() ? notSupervised(n) : 0;
                continue;
            }
            List<String> cmd = new ArrayList<>(List.of("svstat", p.toString()));
            if (Files.isDirectory(p.resolve("log"))) {
                cmd.add(p.resolve("log").toString());
            }
            rc |= run(cmd);
        }
        return rc;
    }

    private int notSupervised(String n) throws IOException {
        Path d = dir(n);
        if (!Files.isDirectory(d)) {
            say(n + ": no run directory " + d + " (run scripts/install first)\n");
        } else {
            say(n + ": not supervised. To run it under daemontools: ln -s " + d + " /etc/service/" + n
                    + " (svscan starts it within five seconds)\n");
        }
        return 1;
    }

    private int run(List<String> cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            say(cmd.get(0) + ": cannot run it (" + e.getMessage() + "); is daemontools installed?\n");
            return 1;
        }
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
            out.flush();
        }
        try {
            return p.waitFor() == 0 ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private void say(String s) throws IOException {
        out.write(Bytes.ascii(s));
        out.flush();
    }
}
