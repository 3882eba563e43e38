package org.jqmail.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jqmail.control.Auto;
import org.jqmail.control.Control;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioOut;

/**
 * qmail-showctl: what the compiled-in settings and every control file mean (qmail-showctl(8)).
 *
 * <p>Prints, on stdout, QMAILHOME, the user-ext delimiter, paternalism, the silent concurrency
 * limit, the split, the user and group ids, then one paragraph per control file in qmail's order
 * with the very phrases of {@code qmail-showctl.c}, and finally every other file in
 * {@code control/} (directory order) as unknown. Non-printable bytes show as {@code ?}.
 *
 * <p>Exit 0; 111 if an account is missing ({@code fatal: unable to find user NAME} on stderr),
 * QMAILHOME or {@code control/} cannot be entered, or {@code me} cannot be read.
 */
final class Showctl {
    private static final Set<String> KNOWN = Set.of("bouncefrom", "bouncehost", "badmailfrom",
            "concurrencylocal", "concurrencyremote", "databytes", "defaultdomain", "defaulthost",
            "doublebouncehost", "doublebounceto", "envnoathost", "helohost", "idhost", "localiphost", "locals",
            "me", "morercpthosts", "morercpthosts.cdb", "percenthack", "plusdomain", "qmqpservers",
            "qmtproutes", "queuelifetime", "rcpthosts", "smtpgreeting", "smtproutes", "timeoutconnect", "timeoutremote",
            "timeoutsmtpd", "virtualdomains");

    private final Auto auto;
    private final Passwd pw;
    private final SubstdioOut out;
    private final OutputStream err;
    private Control c;
    private byte[] me;
    /** control/qmtproutes exists: described only then (ours, doc/QMTP.md §7). */
    private boolean qmtproutes;

    Showctl(Auto auto, Passwd pw, OutputStream out, OutputStream err) {
        this.auto = auto;
        this.pw = pw;
        this.out = new SubstdioOut(out, 8192);
        this.err = err;
    }

    int run() throws IOException {
        List<String> uids = new ArrayList<>();
        for (String role : new String[] {Auto.ALIAS, Auto.QMAILD, Auto.QMAILL, Auto.ROOT, Auto.QMAILP,
            Auto.QMAILQ, Auto.QMAILR, Auto.QMAILS}) {
            Passwd.User u = pw.user(auto.user(role));
            if (u == null) {
                return fatal("fatal: unable to find user " + auto.user(role) + "\n");
            }
            uids.add(Integer.toUnsignedString(u.uid()));
        }
        List<String> gids = new ArrayList<>();
        for (String role : new String[] {Auto.NOFILES, Auto.QMAIL}) {
            Passwd.Group g = pw.group(auto.group(role));
            if (g == null) {
                return fatal("fatal: unable to find group " + auto.group(role) + "\n");
            }
            gids.add(Integer.toUnsignedString(g.gid()));
        }
        String home = auto.home().toString();
        puts("qmail home directory: " + home + ".\n");
        puts("user-ext delimiter: " + (char) Auto.BREAK + ".\n");
        puts("paternalism (in decimal): " + Auto.PATRN + ".\n");
        puts("silent concurrency limit: " + auto.spawn() + ".\n");
        puts("subdirectory split: " + auto.split() + ".\n");
        puts("user ids: " + String.join(", ", uids) + ".\n");
        puts("group ids: " + String.join(", ", gids) + ".\n");
        if (!Files.isDirectory(auto.home())) {
            return oops("Oops! Unable to chdir to " + home + ".\n");
        }
        Path dir = auto.controlDir();
        if (!Files.isDirectory(dir)) {
            return oops("Oops! Unable to chdir to control.\n");
        }
        List<String> others = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                others.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            return oops("Oops! Unable to open current directory.\n");
        }
        qmtproutes = others.contains("qmtproutes");
        c = new Control(dir);
        try {
            me = c.readLine("me");
        } catch (IOException e) {
            return oops("Oops! Trouble reading control/me.");
        }
        files();
        for (String name : others) {
            if (!KNOWN.contains(name)) {
                puts("\n" + name + ": I have no idea what this file does.\n");
            }
        }
        out.flush();
        return 0;
    }

    private void files() throws IOException {
        lst("badmailfrom", "Any MAIL FROM is allowed.", "", " not accepted in MAIL FROM.");
        str("bouncefrom", false, "MAILER-DAEMON", "Bounce user name is ");
        str("bouncehost", true, "bouncehost", "Bounce host name is ");
        integer("concurrencylocal", "10", "Local concurrency is ", "");
        integer("concurrencyremote", "20", "Remote concurrency is ", "");
        integer("databytes", "0", "SMTP DATA limit is ", " bytes");
        str("defaultdomain", true, "defaultdomain", "Default domain name is ");
        str("defaulthost", true, "defaulthost", "Default host name is ");
        str("doublebouncehost", true, "doublebouncehost", "2B recipient host: ");
        str("doublebounceto", false, "postmaster", "2B recipient user: ");
        str("envnoathost", true, "envnoathost", "Presumed domain name is ");
        str("helohost", true, "helohost", "SMTP client HELO host name is ");
        str("idhost", true, "idhost", "Message-ID host name is ");
        str("localiphost", true, "localiphost", "Local IP address becomes ");
        lst("locals", "Messages for me are delivered locally.", "Messages for ", " are delivered locally.");
        str("me", false, "undefined! Uh-oh", "My name is ");
        lst("percenthack", "The percent hack is not allowed.", "The percent hack is allowed for user%host@", ".");
        str("plusdomain", true, "plusdomain", "Plus domain name is ");
        lst("qmqpservers", "No QMQP servers.", "QMQP server: ", ".");
        integer("queuelifetime", "604800", "Message lifetime in the queue is ", " seconds");
        if (lst("rcpthosts", "SMTP clients may send messages to any recipient.",
                "SMTP clients may send messages to recipients at ", ".") != 0) {
            lst("morercpthosts", "No effect.", "SMTP clients may send messages to recipients at ", ".");
        } else {
            lst("morercpthosts", "No rcpthosts; morercpthosts is irrelevant.",
                    "No rcpthosts; doesn't matter that morercpthosts has ", ".");
        }
        puts("\nmorercpthosts.cdb: ");
        puts(morercpthostsCdb());
        str("smtpgreeting", true, "smtpgreeting", "SMTP greeting: 220 ");
        lst("smtproutes", "No artificial SMTP routes.", "SMTP route: ", "");
        if (qmtproutes) {
            lst("qmtproutes", "No QMTP routes.", "QMTP route: ", "");
        }
        integer("timeoutconnect", "60", "SMTP client connection timeout is ", " seconds");
        integer("timeoutremote", "1200", "SMTP client data timeout is ", " seconds");
        integer("timeoutsmtpd", "1200", "SMTP server data timeout is ", " seconds");
        lst("virtualdomains", "No virtual domains.", "Virtual domain: ", "");
    }

    private String morercpthostsCdb() {
        Long src = mtime(c.path("morercpthosts"));
        Long cdb = mtime(c.path("morercpthosts.cdb"));
        if (src == null) {
            return cdb == null ? "(Default.) No effect.\n" : "Oops! morercpthosts.cdb exists but morercpthosts doesn't.\n";
        }
        if (cdb == null) {
            return "Oops! morercpthosts exists but morercpthosts.cdb doesn't.\n";
        }
        return src > cdb ? "Oops! morercpthosts.cdb is older than morercpthosts.\n"
                : "Modified recently enough; hopefully up to date.\n";
    }

    private static Long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).to(TimeUnit.SECONDS);
        } catch (IOException e) {
            return null;
        }
    }

    private void integer(String fn, String def, String pre, String post) throws IOException {
        puts("\n" + fn + ": ");
        byte[] v;
        try {
            v = c.readLine(fn);
        } catch (IOException e) {
            puts("Oops! Trouble reading this file.\n");
            return;
        }
        if (v == null || v.length == 0 || v[0] < '0' || v[0] > '9') {
            puts("(Default.) " + pre + def + post + ".\n");
            return;
        }
        int i = org.jqmail.io.Scan.cInt(v, 0);
        puts(pre + Integer.toUnsignedString(Math.max(i, 0)) + post + ".\n");
    }

    private void str(String fn, boolean flagme, String def, String pre) throws IOException {
        puts("\n" + fn + ": ");
        byte[] v;
        try {
            v = c.readLine(fn);
        } catch (IOException e) {
            puts("Oops! Trouble reading this file.\n");
            return;
        }
        if (v == null) {
            puts("(Default.) ");
            v = flagme && me != null ? me : Bytes.ascii(def);
        }
        puts(pre);
        safeput(v);
        puts(".\n");
    }

    /** Returns 0 absent, 1 present, -1 error, as {@code do_lst}. */
    private int lst(String fn, String def, String pre, String post) throws IOException {
        puts("\n" + fn + ": ");
        List<byte[]> l;
        try {
            l = c.readFile(fn, false);
        } catch (IOException e) {
            puts("Oops! Trouble reading this file.\n");
            return -1;
        }
        if (l == null) {
            puts("(Default.) " + def + "\n");
            return 0;
        }
        puts("\n");
        for (byte[] e : l) {
            puts(pre);
            safeput(e);
            puts(post + "\n");
        }
        return 1;
    }

    private void safeput(byte[] s) throws IOException {
        ByteBuf b = new ByteBuf(s.length);
        for (byte ch : s) {
            b.append(ch < 32 || ch > 126 ? '?' : ch);
        }
        out.put(b);
    }

    private void puts(String s) throws IOException {
        out.put(Bytes.ascii(s));
    }

    private int oops(String text) throws IOException {
        puts(text);
        out.flush();
        return 111;
    }

    private int fatal(String text) throws IOException {
        err.write(Bytes.ascii(text));
        err.flush();
        return 111;
    }
}
