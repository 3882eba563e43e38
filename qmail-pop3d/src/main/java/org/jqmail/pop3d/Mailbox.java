package org.jqmail.pop3d;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import org.jqmail.control.Maildir;

/**
 * The messages of one qmail-pop3d session, numbered once at the start as qmail's
 * {@code getlist()} numbers them: {@code tmp/} cleaned of files not accessed for 36 hours,
 * then {@code new/} and {@code cur/} in mtime order, only files older than the current second,
 * each with its size in bytes at that moment (0 if it cannot be stat'ed).
 *
 * <p>Nothing changes on disk until {@link #quit}: deleted messages are unlinked, and every
 * other message still in {@code new/} moves to {@code cur/} with the {@code :2,} info suffix
 * (a failed rename is ignored, as in qmail).
 *
 * <p>See also: qmail-pop3d.c {@code getlist()} and {@code pop3_quit()}, maildir.c, maildir(5).
 */
final class Mailbox {
    private final Path dir;
    private final List<Maildir.Entry> msgs;
    private final long[] sizes;
    private final boolean[] deleted;

    private Mailbox(Path dir, List<Maildir.Entry> msgs) {
        this.dir = dir;
        this.msgs = msgs;
        this.sizes = new long[msgs.size()];
        this.deleted = new boolean[msgs.size()];
        for (int i = 0; i < sizes.length; i++) {
            try {
                sizes[i] = Files.size(msgs.get(i).path());
            } catch (IOException e) {
                sizes[i] = 0;
            }
        }
    }

    /** Cleans and scans the Maildir {@code dir} at {@code now} (seconds since the epoch). */
    static Mailbox open(Path dir, long now) throws Maildir.ScanException {
        Maildir md = new Maildir(dir);
        md.clean(now);
        return new Mailbox(dir, md.scan(now));
    }

    /** The number of messages, deleted ones included. */
    int count() {
        return sizes.length;
    }

    /** Size of message {@code i} (0-based). */
    long size(int i) {
        return sizes[i];
    }

    boolean deleted(int i) {
        return deleted[i];
    }

    void delete(int i) {
        deleted[i] = true;
    }

    void undeleteAll() {
        Arrays.fill(deleted, false);
    }

    /** Message {@code i}'s name relative to the Maildir: {@code new/X} or {@code cur/X}. */
    String name(int i) {
        return msgs.get(i).name();
    }

    /** Opens message {@code i} for reading. */
    InputStream open(int i) throws IOException {
        return Files.newInputStream(msgs.get(i).path());
    }

    /**
     * QUIT's changes; returns how many deleted messages could not be unlinked (each gets its
     * own {@code -ERR} line in qmail).
     */
    int quit() {
        int failed = 0;
        for (int i = 0; i < sizes.length; i++) {
            Maildir.Entry m = msgs.get(i);
            if (deleted[i]) {
                try {
                    Files.delete(m.path());
                } catch (IOException e) {
                    failed++;
                }
            } else if (m.name().startsWith("new/")) {
                Path to = dir.resolve("cur").resolve(m.path().getFileName().toString() + ":2,");
                try {
                    // rename(2), which replaces an existing target as qmail's rename() does.
                    Files.move(m.path(), to, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    // "if it fails, bummer" (qmail-pop3d.c).
                }
            }
        }
        return failed;
    }
}
