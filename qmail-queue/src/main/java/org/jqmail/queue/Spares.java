package org.jqmail.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.jqmail.control.LoneFile;

/**
 * qmail-queued's supply of recycled queue files (not in qmail): qmail-clean empties the
 * {@code mess} and {@code intd} files of finished messages and renames them into
 * {@code queue/qspare/} instead of unlinking them, and a new message takes one from there
 * instead of creating a file. On an ext4 without journal (the project's machines) every inode
 * allocation first skips the inodes freed in the last minutes, about a millisecond of CPU per
 * file at a few hundred messages a second; reusing inodes saves both the allocation and the
 * release. Everything else is qmail-queue's sequence unchanged: the taken file is renamed to a
 * fresh name in {@code pid/}, truncated, and then linked to {@code mess/S/N} or
 * {@code intd/N} exactly as a newly created pid file would be.
 *
 * <p>A taken file is used only when it is a regular file with no other link, so a file can
 * never be shared by two messages. Without {@code queue/qspare/} (an older install, or C
 * qmail's qmail-clean that never fills it) files are created as qmail-queue creates them.
 *
 * <p>Thread-safe. Spare names are listed at most {@link #LIST_MAX} at a time, and an empty
 * directory is listed again only after a second.
 */
final class Spares {
    /** Most names read from {@code qspare/} per listing. */
    static final int LIST_MAX = 256;
    private static final long RELIST_NANOS = 1_000_000_000L;
    /** How many spares one {@link #take} tries before giving up (others may take them first). */
    private static final int TRIES = 4;

    /** A recycled file under its new name in {@code pid/}, truncated and open for writing. */
    record Taken(Path path, FileChannel fd, long ino) {
    }

    private final Path dir;
    private final ArrayDeque<String> names = new ArrayDeque<>();
    private final AtomicLong seq = new AtomicLong();
    private long relistAt;
    private boolean listedEmpty;

    /** {@code queue}: the queue directory; recycling is on when {@code queue/qspare} exists. */
    Spares(Path queue) {
        Path d = queue.resolve("qspare");
        this.dir = Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS) ? d : null;
    }

    /**
     * Takes a spare and renames it into {@code pid/} under a name that starts with
     * {@code stem} (qmail-queue's {@code pid.time}) and no other file has; null when there is
     * none, in which case the caller creates the file as qmail-queue does.
     */
    Taken take(Path pidDir, String stem) {
        if (dir == null) {
            return null;
        }
        for (int i = 0; i < TRIES; i++) {
            String n = next();
            if (n == null) {
                return null;
            }
            Path p = pidDir.resolve(stem + ".r" + seq.incrementAndGet());
            try {
                // rename(2) alone. No other insertion uses this name (the counter is this
                // process's), so it can only replace a file a crash left in pid/, which is
                // garbage or, if the crash came after its link to mess/, still has that name.
                Files.move(dir.resolve(n), p, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                continue; // taken by another thread, replaced by qmail-clean, or a name in use
            }
            Taken t = open(p);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** Checks and opens a file just taken; null (the file removed) if it is unfit. */
    private static Taken open(Path p) {
        FileChannel fd = null;
        try {
            long ino = LoneFile.ino(p);
            if (ino < 0) {
                throw new IOException("not a spare");
            }
            fd = FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                    LinkOption.NOFOLLOW_LINKS);
            return new Taken(p, fd, ino);
        } catch (IOException | RuntimeException e) {
            if (fd != null) {
                try {
                    fd.close();
                } catch (IOException e2) {
                    // Unusable either way.
                }
            }
            try {
                Files.deleteIfExists(p);
            } catch (IOException e2) {
                // Left in pid/: qmail-clean removes it after 36 hours.
            }
            return null;
        }
    }

    /** The next spare name to try, listing the directory when none is known. */
    private synchronized String next() {
        String n = names.pollFirst();
        if (n != null) {
            return n;
        }
        long now = System.nanoTime();
        if (listedEmpty && now - relistAt < 0) {
            return null;
        }
        try (DirectoryStream<Path> d = Files.newDirectoryStream(dir)) {
            for (Path p : d) {
                names.add(p.getFileName().toString());
                if (names.size() >= LIST_MAX) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // As an empty directory: try again later.
        }
        listedEmpty = names.isEmpty();
        relistAt = now + RELIST_NANOS;
        return names.pollFirst();
    }
}
