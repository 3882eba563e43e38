package org.jqmail.pop3d;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jqmail.io.Bytes;
import org.jqmail.io.Scan;

/**
 * The system's accounts as checkpassword needs them: {@code /etc/passwd} and
 * {@code /etc/shadow} read as files (checkpassword runs as root), and {@code getent passwd}
 * and {@code getent shadow} for a name the files do not hold when {@code /etc/nsswitch.conf}
 * names another source for that database (LDAP, sss, ...), so that the name service switch
 * still answers as it does for getpwnam(3) and getspnam(3), without native code in this
 * process and, on a host with local accounts only, without starting any process.
 *
 * <p>Synopsis: {@link #lookup} returns the account or null if there is no such user;
 * {@link #parse} reads one {@code passwd} line and the matching {@code shadow} line and is a
 * fuzz entry point; {@link #find} picks a name's line out of a file's bytes as glibc's files
 * source does (the first line of that name; lines starting with {@code #}, {@code +} or
 * {@code -} are not accounts).
 *
 * <p>Failure: an {@link IOException} when {@code /etc/passwd} cannot be read, or getent cannot
 * be run or reports anything but found (status 0) or not found (status 2): the caller treats
 * it as temporary. An unreadable {@code /etc/shadow} (an ordinary user's checkpassword) counts
 * as no shadow entry, as getent shadow answers then. The hash comes from {@code shadow} when
 * there is a shadow entry, else from {@code passwd}, as the original checkpassword takes
 * getspnam over getpwnam. getent also looks a numeric key up as a uid, so an entry whose name
 * differs from the one asked for counts as not found.
 *
 * <p>See also: getent(1), passwd(5), shadow(5), nsswitch.conf(5), doc/POP3.md.
 */
final class Accounts {
    /** getent's output is one line; anything longer than this is refused. */
    static final int OUT_MAX = 64 * 1024;
    static final String[] GETENT = {"/usr/bin/getent", "/bin/getent"};

    private Accounts() {
    }

    /** One account; {@code expire} is shadow's expiry day (days since 1970), -1 for none. */
    record Account(String name, long uid, long gid, String home, String shell, byte[] hash, long expire) {
    }

    /** The account {@code name} (printable ASCII, no colon), or null. */
    static Account lookup(String name) throws IOException {
        return lookup(name, Path.of("/etc/passwd"), Path.of("/etc/shadow"), Path.of("/etc/nsswitch.conf"));
    }

    /** {@link #lookup} with the three files named. */
    static Account lookup(String name, Path passwd, Path shadow, Path nsswitch) throws IOException {
        byte[] nss = readOrNull(nsswitch);
        byte[] pw = find(Files.readAllBytes(passwd), name);
        if (pw == null && elsewhere(nss, "passwd")) {
            pw = getent("passwd", name);
        }
        // Asked whether or not the account exists: the same look-ups either way.
        byte[] sp = find(readOrNull(shadow), name);
        if (sp == null && elsewhere(nss, "shadow")) {
            sp = getent("shadow", name);
        }
        if (pw == null) {
            return null;
        }
        return parse(pw, sp, name);
    }

    /** {@code file}'s bytes, or null if it is missing or unreadable. */
    private static byte[] readOrNull(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The first line of {@code db} (a passwd or shadow file; null for none) whose first field
     * is {@code name}, without its newline; null if there is none.
     */
    static byte[] find(byte[] db, String name) {
        if (db == null || name.isEmpty() || "#+-".indexOf(name.charAt(0)) >= 0) {
            return null;
        }
        byte[] key = Bytes.ascii(name + ":");
        int start = 0;
        while (start < db.length) {
            int nl = start;
            while (nl < db.length && db[nl] != '\n') {
                nl++;
            }
            if (nl - start >= key.length && Arrays.equals(db, start, start + key.length, key, 0, key.length)) {
                return Arrays.copyOfRange(db, start, nl);
            }
            start = nl + 1;
        }
        return null;
    }

    /**
     * Whether nsswitch.conf ({@code nss}, null if unreadable) names a source other than
     * {@code files} for database {@code db}: then a name missing from the file is asked of
     * getent. {@code systemd} does not count: it adds only root, nobody and the accounts of
     * services, none of which may log in. Without the file glibc uses the files.
     */
    static boolean elsewhere(byte[] nss, String db) {
        if (nss == null) {
            return false;
        }
        for (String line : Bytes.str(nss).split("\n")) {
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).trim().equals(db)) {
                continue;
            }
            for (String src : line.substring(colon + 1).trim().split("\\s+")) {
                if (!src.isEmpty() && !src.startsWith("[") && !src.equals("files") && !src.equals("systemd")) {
                    return true;
                }
            }
            return false;
        }
        return false;
    }

    /**
     * The account from {@code passwd} and {@code shadow} lines (shadow may be null); null if
     * the passwd line is not {@code name}'s or is malformed.
     */
    static Account parse(byte[] passwd, byte[] shadow, String name) {
        List<byte[]> f = fields(passwd);
        if (f.size() != 7 || !Bytes.str(f.get(0)).equals(name)) {
            return null;
        }
        long uid = Scan.strict(f.get(2));
        long gid = Scan.strict(f.get(3));
        if (uid < 0 || gid < 0 || uid > 0xffffffffL || gid > 0xffffffffL) {
            return null;
        }
        byte[] hash = f.get(1);
        long expire = -1;
        if (shadow != null) {
            List<byte[]> s = fields(shadow);
            if (s.size() >= 2 && Bytes.str(s.get(0)).equals(name)) {
                hash = s.get(1);
                if (s.size() >= 8 && s.get(7).length > 0) {
                    expire = Scan.strict(s.get(7));
                    if (expire < 0) {
                        // An expiry day that is not a number: treat the account as expired.
                        expire = 0;
                    }
                }
            }
        }
        return new Account(name, uid, gid, Bytes.str(f.get(5)), Bytes.str(f.get(6)), hash, expire);
    }

    /** The colon-separated fields of one line (its newline removed). */
    static List<byte[]> fields(byte[] line) {
        int len = line.length;
        if (len > 0 && line[len - 1] == '\n') {
            len--;
        }
        java.util.ArrayList<byte[]> out = new java.util.ArrayList<>();
        int start = 0;
        for (int i = 0; i <= len; i++) {
            if (i == len || line[i] == ':') {
                out.add(Arrays.copyOfRange(line, start, i));
                start = i + 1;
            }
        }
        return out;
    }

    /** {@code getent DB NAME}'s first line, null for "not found" (status 2). */
    private static byte[] getent(String db, String name) throws IOException {
        String prog = GETENT[GETENT.length - 1];
        for (String g : GETENT) {
            if (new File(g).canExecute()) {
                prog = g;
                break;
            }
        }
        Process p = new ProcessBuilder(prog, db, "--", name)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readNBytes(OUT_MAX + 1);
            // Drain anything beyond the bound so that getent can finish.
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        int st;
        try {
            st = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for getent");
        }
        if (st == 2) {
            return null;
        }
        if (st != 0 || out.length > OUT_MAX) {
            throw new IOException("getent " + db + " exited " + st);
        }
        int nl = Bytes.indexOf(out, '\n');
        return nl < 0 ? out : Arrays.copyOf(out, nl);
    }
}
