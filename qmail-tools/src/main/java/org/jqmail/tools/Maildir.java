package org.jqmail.tools;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jqmail.io.Errors;

/**
 * A Maildir as qmail's {@code maildir.c} reads it (maildir(5), maildirmake(1), maildir2mbox(1)):
 * making one, cleaning {@code tmp/} of files not accessed for 36 hours, and listing {@code new/}
 * then {@code cur/} in mtime order (only messages older than now, so that a message arriving during
 * the scan cannot jump the queue).
 */
final class Maildir {
    /** 36 hours: tmp files older than this are abandoned deliveries. */
    static final long TMP_AGE = 129600;

    /** Scan failure, with qmail's text ({@code unable to scan $MAILDIR/new: ERR}). */
    static final class ScanException extends IOException {
        private static final long serialVersionUID = 1L;

        ScanException(String text) {
            super(text);
        }
    }

    private final Path dir;

    Maildir(Path dir) {
        this.dir = dir;
    }

    /** {@code maildirmake}: DIR, DIR/tmp, DIR/new, DIR/cur, mode 0700; an existing DIR is an error. */
    static String make(Path dir, String name) {
        java.nio.file.attribute.FileAttribute<?> mode = java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
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

    /** {@code maildir_clean}: removes tmp files last accessed more than 36 hours before {@code now}. */
    void clean(long now) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve("tmp"))) {
            for (Path p : ds) {
                if (p.getFileName().toString().startsWith(".")) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (now > a.lastAccessTime().to(TimeUnit.SECONDS) + TMP_AGE) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException e) {
                    // As maildir.c: a file that cannot be looked at is left alone.
                }
            }
        } catch (IOException e) {
            // No tmp/: nothing to clean.
        }
    }

    /** One scanned message: its name relative to the Maildir and its mtime. */
    record Entry(String name, long mtime) {
    }

    /** {@code maildir_scan}: new/ then cur/, in mtime order, only mtimes before {@code now}. */
    List<Entry> scan(long now) throws ScanException {
        List<String> names = new ArrayList<>();
        Prioq pq = new Prioq();
        for (String sub : new String[] {"new", "cur"}) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir.resolve(sub))) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (n.startsWith(".")) {
                        continue;
                    }
                    try {
                        long mtime = Files.getLastModifiedTime(p).to(TimeUnit.SECONDS);
                        if (mtime < now) {
                            names.add(sub + "/" + n);
                            pq.insert(mtime, names.size() - 1);
                        }
                    } catch (IOException e) {
                        // Gone meanwhile: skip it, as stat() failing does.
                    }
                }
            } catch (IOException e) {
                throw new ScanException("unable to scan $MAILDIR/" + sub + ": " + Errors.str(e));
            }
        }
        List<Entry> out = new ArrayList<>();
        while (!pq.isEmpty()) {
            out.add(new Entry(names.get(pq.minId()), pq.minTime()));
            pq.delmin();
        }
        return out;
    }
}
