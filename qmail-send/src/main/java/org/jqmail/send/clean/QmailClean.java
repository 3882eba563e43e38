package org.jqmail.send.clean;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jqmail.control.Auto;
import org.jqmail.io.Fds;
import org.jqmail.io.HeapTrim;
import org.jqmail.io.Main;

/**
 * qmail-clean: removes queue files on qmail-send's request (doc/PROTOCOLS.md §4).
 *
 * <p>Synopsis: {@code qmail-clean}, run as qmailq by qmail-start; requests on fd 0, one-byte
 * replies on fd 1, working in {@code QMAILHOME/queue}. Exits 0 at end of input, 111 if the
 * queue directory is missing, 100 if a reply cannot be written.
 *
 * <p>See also: {@code qmail-clean(8)}.
 */
public final class QmailClean {
    private QmailClean() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        HeapTrim.start();
        int code;
        try {
            Auto auto = Auto.get();
            Path queue = auto.queueDir();
            if (!Files.isDirectory(queue)) {
                code = 111;
            } else {
                code = new Cleaner(queue, auto.split(), QmailClean::now).run(Fds.in(0), Fds.out(1));
            }
        } catch (Throwable t) {
            code = Main.failed("qmail-clean", t, 111);
        }
        Main.end(code);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
