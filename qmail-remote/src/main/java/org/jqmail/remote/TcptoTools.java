package org.jqmail.remote;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Errors;

/**
 * The work of qmail-tcpto and qmail-tcpok (qmail-tcpto(8), qmail-tcpok(8)), with their exact
 * messages.
 *
 * <p>qmail-tcpto prints one line per address in the timeout table on stdout; its errors
 * ({@code fatal: unable to chdir|open tcpto|lock tcpto|read tcpto: ERR}) go to stdout too, exit
 * 111. qmail-tcpok overwrites the table with zeros; its errors go to stderr as
 * {@code qmail-tcpok: fatal: unable to ... QMAILHOME/...: ERR}, exit 111.
 *
 * <p>See also: {@code qmail-tcpto.c}, {@code qmail-tcpok.c}, {@link TcptoFile} for the lock.
 */
public final class TcptoTools {
    private TcptoTools() {
    }

    /** qmail-tcpto; returns the exit code. */
    public static int tcpto(Path home, TcptoFile.Flock flock, long now, OutputStream out) throws IOException {
        ByteBuf b = new ByteBuf(64 * 1024);
        int code = 0;
        if (chdirError(home) != 0 || chdirError(home.resolve("queue").resolve("lock")) != 0) {
            int e = chdirError(home);
            warn(b, "fatal: unable to chdir", e != 0 ? e : chdirError(home.resolve("queue").resolve("lock")));
            code = 111;
        } else {
            TcptoFile f = TcptoFile.forHome(home, flock);
            byte[] buf = new byte[Tcpto.SIZE];
            try {
                int n = f.readLocked(buf);
                f.release();
                b.append(Tcpto.list(buf, n, now));
            } catch (TcptoFile.Failed e) {
                String what = e.stage() == TcptoFile.Stage.LOCK ? "lock"
                        : e.stage() == TcptoFile.Stage.READ ? "read" : "open";
                warn(b, "fatal: unable to " + what + " tcpto", Errors.errno(e.getCause()));
                code = 111;
            }
        }
        out.write(b.array(), 0, b.length());
        out.flush();
        return code;
    }

    private static void warn(ByteBuf b, String s, int errno) {
        b.append(s).append(": ").append(Errors.str(errno)).append("\n");
    }

    /** qmail-tcpok; returns the exit code. */
    public static int tcpok(Path home, TcptoFile.Flock flock, OutputStream err) throws IOException {
        String h = home.toString();
        String fatal = "qmail-tcpok: fatal: ";
        int e = chdirError(home);
        if (e != 0) {
            return die(err, fatal + "unable to chdir to " + h + ": ", e);
        }
        e = chdirError(home.resolve("queue").resolve("lock"));
        if (e != 0) {
            return die(err, fatal + "unable to chdir to " + h + "/queue/lock: ", e);
        }
        try {
            TcptoFile.forHome(home, flock).clear();
        } catch (TcptoFile.Failed f) {
            String what = f.stage() == TcptoFile.Stage.OPEN ? "write"
                    : f.stage() == TcptoFile.Stage.LOCK ? "lock" : "clear";
            return die(err, fatal + "unable to " + what + " " + h + "/queue/lock/tcpto: ", Errors.errno(f.getCause()));
        }
        return 0;
    }

    private static int die(OutputStream err, String s, int errno) throws IOException {
        err.write(org.jqmail.io.Bytes.ascii(s + Errors.str(errno) + "\n"));
        err.flush();
        return 111;
    }

    /** The errno {@code chdir(dir)} would fail with, or 0. */
    static int chdirError(Path dir) {
        if (!Files.exists(dir)) {
            return Files.exists(dir, LinkOption.NOFOLLOW_LINKS) ? Errors.ELOOP : Errors.ENOENT;
        }
        if (!Files.isDirectory(dir)) {
            return Errors.ENOTDIR;
        }
        if (!Files.isExecutable(dir)) {
            return Errors.EACCES;
        }
        return 0;
    }
}
