package org.jqmail.rspawn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Prot;
import org.jqmail.io.Scan;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;

/**
 * Account lookups and the privilege drop of qmail-rspawn.
 *
 * <p>{@link #uid} is qmail's {@code inituid}: the uid of a user name from the password
 * database (getpwnam through the native layer; {@code /etc/passwd} itself if the native layer
 * cannot be loaded on this platform). {@link #dropIfRoot} gives up root for qmailr with all of qmailr's groups
 * (as notqmail's qmail-rspawn) when the program was started as root, which qmail-start never does
 * (it starts qmail-rspawn as qmailr); an installation by an ordinary user skips it.
 */
final class Accounts {
    private static final int PASSWD_MAX = 16 * 1024 * 1024;

    private Accounts() {
    }

    /** The uid of {@code user}; throws if there is no such user. */
    static int uid(String user) throws IOException {
        try {
            Posix.Passwd pw = Nat.posix().getpwnam(user);
            if (pw == null) {
                throw new IOException("no such user: " + user);
            }
            return pw.uid();
        } catch (UnsupportedOperationException | LinkageError e) {
            return uidFromFile(Path.of("/etc/passwd"), user);
        }
    }

    static int uidFromFile(Path passwd, String user) throws IOException {
        try (InputStream in = Files.newInputStream(passwd)) {
            SubstdioIn ss = new SubstdioIn(in, 4096);
            ByteBuf line = new ByteBuf(PASSWD_MAX);
            String prefix = user + ":";
            for (;;) {
                line.clear();
                SubstdioIn.Line r = ss.getline(line, (byte) '\n', 64 * 1024);
                if (r == SubstdioIn.Line.EOF || r == SubstdioIn.Line.TOO_LONG) {
                    break;
                }
                String s = line.toString();
                if (s.startsWith(prefix)) {
                    String[] f = s.split(":", -1);
                    long uid = f.length > 2 ? Scan.strict(f[2]) : -1;
                    if (uid >= 0 && uid <= Integer.MAX_VALUE) {
                        return (int) uid;
                    }
                }
                if (r == SubstdioIn.Line.PARTIAL) {
                    break;
                }
            }
        }
        throw new IOException("no such user: " + user);
    }

    /** The effective uid of this process (the owner of {@code /proc/self}), or -1. */
    static int euid() {
        try {
            Object o = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return o instanceof Integer ? (Integer) o : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** If running as root: {@link Prot#drop} to {@code user} with all of its groups. */
    static void dropIfRoot(String user) throws IOException {
        if (euid() != 0) {
            return;
        }
        Posix px = Nat.posix();
        Posix.Passwd pw = px.getpwnam(user);
        if (pw == null) {
            throw new IOException("no such user: " + user);
        }
        Prot.drop(px, user, pw.uid(), pw.gid());
    }
}
