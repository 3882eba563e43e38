package org.jqmail.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jqmail.control.Auto;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;

/**
 * qmail-qstat: how many messages are queued and how many await preprocessing (qmail-qstat(8)):
 * {@code messages in queue: M} (entries under {@code queue/mess/*}) and {@code messages in queue
 * but not yet preprocessed: T} (entries under {@code queue/todo}). A directory that cannot be
 * read is reported on stderr and counts as empty, as the shell original's {@code find} does.
 */
final class Qstat {
    private final Auto auto;
    private final OutputStream out;
    private final OutputStream err;

    Qstat(Auto auto, OutputStream out, OutputStream err) {
        this.auto = auto;
        this.out = out;
        this.err = err;
    }

    int run() throws IOException {
        Path queue = auto.queueDir();
        long mess = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(queue.resolve("mess"))) {
            for (Path sub : ds) {
                mess += count(sub);
            }
        } catch (IOException e) {
            complain(queue.resolve("mess"), e);
        }
        long todo = count(queue.resolve("todo"));
        out.write(Bytes.ascii("messages in queue: " + mess + "\nmessages in queue but not yet preprocessed: "
                + todo + "\n"));
        out.flush();
        return 0;
    }

    /** Everything below {@code dir}, as {@code find dir | wc} minus the directory itself. */
    private long count(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                n++;
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    n += count(p);
                }
            }
        } catch (IOException e) {
            complain(dir, e);
        }
        return n;
    }

    private void complain(Path dir, IOException e) throws IOException {
        err.write(Bytes.ascii("qmail-qstat: warning: unable to read " + dir + ": " + Errors.str(e) + "\n"));
        err.flush();
    }

    /** A queue file name as {@code readsubdir} takes it: all digits, else -1. */
    static long id(String name) {
        long v = org.jqmail.io.Scan.strict(name);
        return v;
    }
}
