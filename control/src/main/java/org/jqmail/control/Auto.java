package org.jqmail.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Scan;
import org.jqmail.io.SubstdioIn;

/**
 * The build-time constants of qmail ({@code auto_qmail}, {@code auto_split},
 * {@code auto_spawn}, {@code auto_break}, {@code auto_patrn}, {@code auto_usera} ...).
 *
 * <p>QMAILHOME comes from the system property {@code qmail.home}, which the {@code bin/}
 * launchers set to the prefix they were installed into (default {@code /var/qmail}). The
 * account names and the split may be overridden by {@code QMAILHOME/lib/auto}, written by
 * {@code scripts/install}: one {@code key=value} per line, keys {@code alias qmaild qmaill root
 * qmailp qmailq qmailr qmails} (user names), {@code nofiles qmail} (group names) and
 * {@code split}, {@code spawn}, and {@code mini}. An installation by an ordinary user maps every account to that
 * user. Numeric ids are looked up by name at run time, as notqmail does.
 *
 * <p>See also: qmail's {@code conf-qmail}, {@code conf-users}, {@code conf-groups},
 * {@code conf-split}, {@code conf-spawn}, {@code conf-break}, {@code conf-patrn}.
 */
public final class Auto {
    /** {@code conf-break}: the user/extension delimiter. */
    public static final byte BREAK = '-';
    /** {@code conf-patrn}: forbidden permission bits on {@code ~} and {@code .qmail} files. */
    public static final int PATRN = 02;
    /** {@code conf-split} default. */
    public static final int DEFAULT_SPLIT = 23;
    /** {@code conf-spawn} default. */
    public static final int DEFAULT_SPAWN = 120;

    /** Account roles of {@code conf-users}, by their qmail names. */
    public static final String ALIAS = "alias";
    public static final String QMAILD = "qmaild";
    public static final String QMAILL = "qmaill";
    public static final String ROOT = "root";
    public static final String QMAILP = "qmailp";
    public static final String QMAILQ = "qmailq";
    public static final String QMAILR = "qmailr";
    public static final String QMAILS = "qmails";
    /** Group roles of {@code conf-groups}. */
    public static final String NOFILES = "nofiles";
    public static final String QMAIL = "qmail";

    private static final int AUTO_MAX = 4096;

    private static volatile Auto instance;

    private final Path home;
    private final Map<String, String> names;
    private final int split;
    private final int spawn;

    Auto(Path home, Map<String, String> overrides) {
        this.home = home;
        this.names = overrides;
        this.split = positive(overrides.get("split"), DEFAULT_SPLIT, 1 << 20);
        this.spawn = positive(overrides.get("spawn"), DEFAULT_SPAWN, 255);
    }

    private static int positive(String v, int dflt, int max) {
        if (v == null) {
            return dflt;
        }
        long n = Scan.strict(v);
        return (n >= 1 && n <= max) ? (int) n : dflt;
    }

    /** The constants for this process (QMAILHOME from {@code -Dqmail.home}). */
    public static Auto get() {
        Auto a = instance;
        if (a == null) {
            synchronized (Auto.class) {
                a = instance;
                if (a == null) {
                    a = load(Paths.get(System.getProperty("qmail.home", "/var/qmail")));
                    instance = a;
                }
            }
        }
        return a;
    }

    /** Constants for an explicit QMAILHOME (tests, install tools). */
    public static Auto load(Path home) {
        Map<String, String> m = new HashMap<>();
        try (InputStream in = Files.newInputStream(home.resolve("lib").resolve("auto"))) {
            SubstdioIn ss = new SubstdioIn(in, 1024);
            ByteBuf line = new ByteBuf(AUTO_MAX);
            int total = 0;
            for (;;) {
                line.clear();
                SubstdioIn.Line r = ss.getline(line, (byte) '\n', AUTO_MAX);
                if (r == SubstdioIn.Line.EOF || r == SubstdioIn.Line.TOO_LONG) {
                    break;
                }
                String s = line.toString().trim();
                int eq = s.indexOf('=');
                if (!s.startsWith("#") && eq > 0) {
                    m.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
                }
                total += line.length();
                if (r == SubstdioIn.Line.PARTIAL || total > AUTO_MAX * 4) {
                    break;
                }
            }
        } catch (NoSuchFileException e) {
            // No overrides: qmail's default names.
        } catch (IOException e) {
            // Unreadable overrides: fall back to qmail's defaults; the daemons then fail
            // loudly when an account is missing.
        }
        return new Auto(home, m);
    }

    /** QMAILHOME. */
    public Path home() {
        return home;
    }

    public Path controlDir() {
        return home.resolve("control");
    }

    public Path queueDir() {
        return home.resolve("queue");
    }

    public Path usersDir() {
        return home.resolve("users");
    }

    public Path binDir() {
        return home.resolve("bin");
    }

    /** The Unix-domain socket on which qmail-queued accepts submissions (doc/ARCHITECTURE.md §3). */
    public Path queueSocket() {
        return home.resolve("sock").resolve("qmail-queue");
    }

    /** {@code conf-split}. */
    public int split() {
        return split;
    }

    /** {@code conf-spawn}: the silent concurrency limit, 1..255. */
    public int spawn() {
        return spawn;
    }

    /** The account name for a role ({@link #ALIAS}, {@link #QMAILD}, ...). */
    public String user(String role) {
        return names.getOrDefault(role, role);
    }

    /** The group name for a role ({@link #NOFILES}, {@link #QMAIL}). */
    public String group(String role) {
        return names.getOrDefault(role, role);
    }

    /** True if this installation maps every role to one ordinary user (no privilege separation). */
    public boolean singleUser() {
        return "1".equals(names.get("singleuser"));
    }

    /**
     * True for a mini-qmail ({@code scripts/install --mini}, doc/QMTP.md §5): no queue here;
     * programs that queue run {@code bin/qmail-queue}, which is qmail-qmqpc.
     */
    public boolean mini() {
        return "1".equals(names.get("mini"));
    }

    /** For diagnostics. */
    @Override
    public String toString() {
        return "Auto[home=" + home + ", split=" + split + ", spawn=" + spawn + ", names=" + names + "]";
    }

    static byte[] ascii(String s) {
        return Bytes.ascii(s);
    }
}
