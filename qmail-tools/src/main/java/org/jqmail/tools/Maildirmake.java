package org.jqmail.tools;

import java.nio.file.Path;
import org.jqmail.io.Guard;
import org.jqmail.io.Out;
import org.jqmail.io.SuppressForbidden;

/**
 * {@code maildirmake DIR}: makes a Maildir (DIR, DIR/tmp, DIR/new, DIR/cur, mode 0700). Exit 0;
 * 100 for usage; 111 with {@code maildirmake: fatal: unable to mkdir ...: ERR}.
 */
public final class Maildirmake {
    private Maildirmake() {
    }

    @SuppressForbidden(reason = "main ends the JVM with the program's exit code")
    public static void main(String[] a) {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> Runtime.getRuntime().halt(111));
        System.exit(Guard.run("maildirmake", () -> {
            if (a.length == 0) {
                Out.err("maildirmake: usage: maildirmake name\n");
                return 100;
            }
            String problem = Maildir.make(Path.of(a[0]), a[0]);
            if (problem != null) {
                Out.err("maildirmake: fatal: " + problem + "\n");
                return 111;
            }
            return 0;
        }));
    }
}
