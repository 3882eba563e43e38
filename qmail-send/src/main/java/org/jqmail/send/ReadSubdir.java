package org.jqmail.send;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.jqmail.io.Bytes;
import org.jqmail.io.Scan;

/**
 * Walks a split directory ({@code info/0..SPLIT-1}, {@code mess/...}) one entry per call, in
 * directory order, qmail's {@code readsubdir.c}. A subdirectory that cannot be opened makes it
 * log {@code alert: unable to opendir DIR, sleeping...}, sleep 10 s and try again.
 */
final class ReadSubdir {
    /** Outcome of {@link #next}. */
    enum Next { ID, SKIP, DONE }

    private final QueueFiles files;
    private final String name;
    private final Log log;
    private final SendState.Clock clock;
    private int pos;
    private DirectoryStream<Path> dir;
    private Iterator<Path> it;
    private long id;

    ReadSubdir(QueueFiles files, String name, Log log, SendState.Clock clock) {
        this.files = files;
        this.name = name;
        this.log = log;
        this.clock = clock;
    }

    /** The id found by the last {@link Next#ID}. */
    long id() {
        return id;
    }

    Next next() {
        if (dir == null) {
            if (pos >= files.split()) {
                return Next.DONE;
            }
            String sub = name + "/" + pos;
            try {
                dir = Files.newDirectoryStream(files.path(sub));
                it = dir.iterator();
            } catch (IOException e) {
                pausedir(log, clock, sub);
                return Next.SKIP;
            }
        }
        if (!it.hasNext()) {
            close();
            pos++;
            return Next.SKIP;
        }
        long v = scanId(it.next().getFileName().toString());
        if (v < 0) {
            return Next.SKIP;
        }
        id = v;
        return Next.ID;
    }

    void close() {
        if (dir != null) {
            try {
                dir.close();
            } catch (IOException e) {
                // closedir errors are of no interest.
            }
            dir = null;
            it = null;
        }
    }

    /**
     * A file name that is a queue id: one or more leading digits and nothing after them
     * ({@code scan_ulong} consumed the whole name); -1 otherwise. The value wraps modulo 2^64
     * as {@code scan_ulong}'s does.
     */
    static long scanId(String fname) {
        byte[] b = Bytes.ascii(fname);
        long[] v = new long[1];
        int n = Scan.ulong(b, 0, b.length, v);
        if (n == 0 || n != b.length) {
            return -1;
        }
        return v[0] < 0 ? -1 : v[0];
    }

    /** {@code pausedir}. */
    static void pausedir(Log log, SendState.Clock clock, String dir) {
        log.line("alert: unable to opendir ", dir, ", sleeping...");
        clock.sleep(10);
    }
}
