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
 * A service that is not linked there is not supervised, and qmailctl says how to fix that
 * instead of starting anything behind the supervisor's back.
 */
final class Services {
    /** In start order; stopped in reverse. */
    static final List<String> NAMES = List.of("qmail-queued", "qmail-send", "qmail-smtpd");

    private final Auto auto;
    private final List<Path> scanDirs;
    private final OutputStream out;

    Services(Auto auto, List<Path> scanDirs, OutputStream out) {
        this.auto = auto;
        this.scanDirs = scanDirs;
        this.out = out;
    }

    static Services system(Auto auto, OutputStream out) {
        return new Services(auto, List.of(Paths.get("/service"), Paths.get("/etc/service")), out);
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
                rc = notSupervised(n);
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
                rc = notSupervised(n);
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
