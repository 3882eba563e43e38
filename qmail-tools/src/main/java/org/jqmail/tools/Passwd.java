package org.jqmail.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * User and group lookups without native code: {@code /etc/passwd} and {@code /etc/group} first,
 * then {@code getent} for accounts that live in another NSS source. Good enough for tools that
 * print or check ids; the daemons use the real getpwnam.
 */
final class Passwd {
    /** A passwd entry. */
    record User(String name, int uid, int gid, String home) {
    }

    /** A group entry. */
    record Group(String name, int gid, List<String> members) {
    }

    private static final int FILE_MAX = 16 * 1024 * 1024;

    private final Path passwd;
    private final Path group;
    private final boolean getent;

    Passwd(Path passwd, Path group, boolean getent) {
        this.passwd = passwd;
        this.group = group;
        this.getent = getent;
    }

    /** The system's databases. */
    static Passwd system() {
        return new Passwd(Paths.get("/etc/passwd"), Paths.get("/etc/group"), true);
    }

    private static List<String[]> lines(Path p) throws IOException {
        List<String[]> out = new ArrayList<>();
        byte[] b;
        try (InputStream in = Files.newInputStream(p)) {
            b = in.readNBytes(FILE_MAX);
        } catch (NoSuchFileException e) {
            return out;
        }
        for (String line : new String(b, StandardCharsets.ISO_8859_1).split("\n")) {
            out.add(line.split(":", -1));
        }
        return out;
    }

    private String[] getent(String db, String key) {
        if (!getent) {
            return null;
        }
        try {
            Process p = new ProcessBuilder("getent", db, key).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readNBytes(64 * 1024);
            if (p.waitFor() != 0) {
                return null;
            }
            String s = new String(out, StandardCharsets.ISO_8859_1).trim();
            return s.isEmpty() ? null : s.split("\n")[0].split(":", -1);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int num(String s) {
        long v = org.jqmail.io.Scan.strict(s);
        return v < 0 || v > 0xffffffffL ? -1 : (int) v;
    }

    private static User user(String[] f) {
        return f.length >= 7 ? new User(f[0], num(f[2]), num(f[3]), f[5]) : null;
    }

    private static Group group(String[] f) {
        if (f.length < 4) {
            return null;
        }
        List<String> m = new ArrayList<>();
        for (String s : f[3].split(",")) {
            if (!s.isEmpty()) {
                m.add(s);
            }
        }
        return new Group(f[0], num(f[2]), m);
    }

    /** The user called {@code name}, or null. */
    User user(String name) throws IOException {
        for (String[] f : lines(passwd)) {
            if (f.length > 0 && f[0].equals(name)) {
                return user(f);
            }
        }
        String[] f = getent("passwd", name);
        return f == null ? null : user(f);
    }

    /** The group called {@code name}, or null. */
    Group group(String name) throws IOException {
        for (String[] f : lines(group)) {
            if (f.length > 0 && f[0].equals(name)) {
                return group(f);
            }
        }
        String[] f = getent("group", name);
        return f == null ? null : group(f);
    }

    /** The name of uid {@code uid}, or its number. */
    String userName(int uid) throws IOException {
        for (String[] f : lines(passwd)) {
            if (f.length >= 3 && num(f[2]) == uid) {
                return f[0];
            }
        }
        return Integer.toUnsignedString(uid);
    }

    /** The name of gid {@code gid}, or its number. */
    String groupName(int gid) throws IOException {
        for (String[] f : lines(group)) {
            if (f.length >= 3 && num(f[2]) == gid) {
                return f[0];
            }
        }
        return Integer.toUnsignedString(gid);
    }
}
