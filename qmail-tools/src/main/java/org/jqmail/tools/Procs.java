package org.jqmail.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Running qmail daemons, found through {@code /proc}: a Java daemon by its main class (and, if
 * given, its {@code -Dqmail.home}), a C original by the name in argv[0]. Another qmail on the
 * same machine (a C qmail during a migration, another prefix) is not ours: a C original
 * belongs to the installation whose home holds its executable or its working directory
 * (qmail-send works in {@code QMAILHOME/queue}); one whose files cannot be read is not ours.
 */
final class Procs {
    /** One process. */
    record Proc(long pid, int uid) {
    }

    private static final Map<String, String> MAIN = Map.of(
            "qmail-send", "org.jqmail.send.QmailSend",
            "qmail-lspawn", "org.jqmail.lspawn.QmailLspawn",
            "qmail-rspawn", "org.jqmail.rspawn.QmailRspawn",
            "qmail-clean", "org.jqmail.send.clean.QmailClean",
            "qmail-queued", "org.jqmail.queue.QmailQueued",
            "qmail-smtpd-listener", "org.jqmail.smtpd.listener.QmailSmtpdListener");

    private final Path proc;

    Procs(Path proc) {
        this.proc = proc;
    }

    /** The processes running program {@code name} for installation {@code home}. */
    List<Proc> find(String name, Path home) {
        return scan(name, home, true);
    }

    /** The processes running program {@code name} for another installation than {@code home}. */
    List<Proc> others(String name, Path home) {
        return scan(name, home, false);
    }

    private List<Proc> scan(String name, Path home, boolean ours) {
        List<Proc> out = new ArrayList<>();
        String main = MAIN.get(name);
        String homeArg = "-Dqmail.home=" + home;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                if (f.isEmpty() || !Character.isDigit(f.charAt(0))) {
                    continue;
                }
                List<String> argv = cmdline(p.resolve("cmdline"));
                if (argv.isEmpty()) {
                    continue;
                }
                Match m = matches(argv, name, main, homeArg);
                if (m == Match.NONE) {
                    continue;
                }
                boolean mine = m == Match.OURS
                        || m == Match.C && (under(p.resolve("exe"), home) || under(p.resolve("cwd"), home));
                if (mine != ours) {
                    continue;
                }
                int uid = uid(p.resolve("status"));
                if (uid >= 0) {
                    out.add(new Proc(Long.parseUnsignedLong(f), uid));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return out;
        }
        return out;
    }

    /** What a process is to us: not the program, ours, another installation's, or a C original. */
    private enum Match { NONE, OURS, OTHER, C }

    /** A Java daemon by its main class and {@code -Dqmail.home} (none: ours); a C one by argv[0]. */
    private static Match matches(List<String> argv, String name, String main, String homeArg) {
        if (main != null && argv.contains(main)) {
            for (String a : argv) {
                if (a.startsWith("-Dqmail.home=")) {
                    return a.equals(homeArg) ? Match.OURS : Match.OTHER;
                }
            }
            return Match.OURS;
        }
        String a0 = argv.get(0);
        return a0.equals(name) || a0.endsWith("/" + name) ? Match.C : Match.NONE;
    }

    /** Whether the link {@code /proc/PID/exe} or {@code cwd} leads into {@code home}. */
    private static boolean under(Path link, Path home) {
        try {
            Path h = home.toRealPath();
            return Files.readSymbolicLink(link).startsWith(h);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static List<String> cmdline(Path p) {
        List<String> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(p)) {
            String s = new String(in.readNBytes(256 * 1024), StandardCharsets.ISO_8859_1);
            for (String w : s.split("\0")) {
                out.add(w);
            }
            if (s.isEmpty()) {
                out.clear();
            }
        } catch (IOException e) {
            out.clear();
        }
        return out;
    }

    private static int uid(Path status) {
        String v = field(status, "Uid:");
        if (v == null) {
            return -1;
        }
        long u = org.jqmail.io.Scan.strict(v.split("\\s+")[0]);
        return u < 0 ? -1 : (int) u;
    }

    /** The value of the line {@code key} of a {@code /proc} status file, trimmed; null if none. */
    private static String field(Path status, String key) {
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith(key)) {
                    return line.substring(key.length()).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /**
     * Whether process {@code pid} catches signal number {@code sig} (the {@code SigCgt} mask of
     * its {@code /proc} status). A Java daemon installs its handlers only after the JVM has
     * started; a signal sent before then takes its default action, which for ALRM and HUP ends
     * the process.
     */
    boolean catches(long pid, int sig) {
        String hex = field(proc.resolve(Long.toString(pid)).resolve("status"), "SigCgt:");
        try {
            return hex != null && hex.length() <= 16 && !hex.isEmpty()
                    && (Long.parseUnsignedLong(hex, 16) & (1L << (sig - 1))) != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The kind of a file from its {@code st_mode}: d, f, p (FIFO), s (socket), l, or ?. */
    static char kind(int mode) {
        switch (mode & 0170000) {
            case 0040000: return 'd';
            case 0100000: return 'f';
            case 0010000: return 'p';
            case 0140000: return 's';
            case 0120000: return 'l';
            default: return '?';
        }
    }

    static String kindName(char k) {
        switch (k) {
            case 'd': return "directory";
            case 'f': return "regular file";
            case 'p': return "named pipe";
            case 's': return "socket";
            case 'l': return "symbolic link";
            default: return "special file";
        }
    }
}
