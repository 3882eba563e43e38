package org.jqmail.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import org.jqmail.io.Errors;
import org.jqmail.io.Main;
import org.jqmail.io.Out;

/**
 * {@code maildirmake DIR}: makes a Maildir (DIR, DIR/tmp, DIR/new, DIR/cur, mode 0700). Exit 0;
 * 100 for usage; 111 with {@code maildirmake: fatal: unable to mkdir ...: ERR}.
 */
public final class Maildirmake {
    private Maildirmake() {
    }

    public static void main(String[] a) {
        Main.guard(111);
        Main.end(Main.run("maildirmake", () -> {
            if (a.length == 0) {
                Out.err("maildirmake: usage: maildirmake name\n");
                return 100;
            }
            String problem = make(Path.of(a[0]), a[0]);
            if (problem != null) {
                Out.err("maildirmake: fatal: " + problem + "\n");
                return 111;
            }
            return 0;
        }));
    }

    /** Makes DIR, DIR/tmp, DIR/new, DIR/cur, mode 0700; an existing DIR is an error. */
    static String make(Path dir, String name) {
        FileAttribute<?> mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        String[][] steps = {{"", name}, {"tmp", name + "/tmp"}, {"new", name + "/new"}, {"cur", name + "/cur"}};
        for (String[] s : steps) {
            try {
                Files.createDirectory(s[0].isEmpty() ? dir : dir.resolve(s[0]), mode);
            } catch (IOException e) {
                return "unable to mkdir " + s[1] + ": " + Errors.str(e);
            }
        }
        return null;
    }
}
