package org.jqmail.send;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.EnumSet;

/**
 * Recycled queue files (not in qmail): the {@code info}, {@code local} and {@code remote} files a
 * finished message leaves are not unlinked but renamed into {@code queue/spare/} (when that
 * directory exists), and a later {@link #createExcl} renames one back under its new name (its new
 * content overwrites the old in place, then {@link #trim} cuts it to length) instead of
 * allocating a new inode. To every reader of the queue this looks
 * exactly like unlink and open_excl (the name disappears, resp. appears as an empty 0600 file of
 * qmails whose mtime is set by the first write); it saves the file system an inode allocation
 * and an inode release per file, which on an ext4 without journal cost about a millisecond of
 * CPU each at a few hundred messages a second (the allocator scans past every inode freed in
 * the last minutes). At most {@link #SPARE_MAX} files are kept; a crash can leave spares, which
 * the next start takes over.
 */
final class Spares {
    /** Most recycled files kept in {@code queue/spare/}. */
    static final int SPARE_MAX = 2048;

    /** {@code queue/spare}, or null when it does not exist (no recycling). */
    private final Path spareDir;
    /**
     * A file in {@link #spareDir} that is free for reuse: its name, and its length when known
     * (-1 if not, as for spares a previous run left).
     */
    private record Spare(String name, long size) {
    }

    /**
     * The files in {@link #spareDir} that are free for reuse: those that were {@code info}
     * files and those that were channel files, apart, so that a new file mostly gets one of
     * its own kind, of about its length, and rarely needs cutting ({@link #trim}).
     */
    private final ArrayDeque<Spare> infoSpares = new ArrayDeque<>();
    private final ArrayDeque<Spare> spares = new ArrayDeque<>();
    private long spareSeq;

    private final Path root;

    Spares(Path root) {
        this.root = root;
        Path sd = root.resolve("spare");
        this.spareDir = Files.isDirectory(sd, LinkOption.NOFOLLOW_LINKS) ? sd : null;
        adoptSpares();
    }

    private Path path(String rel) {
        return root.resolve(rel);
    }

    /** Takes over the spare files a previous run left (numeric names; anything else goes). */
    private void adoptSpares() {
        if (spareDir == null) {
            return;
        }
        try (java.nio.file.DirectoryStream<Path> d = Files.newDirectoryStream(spareDir)) {
            for (Path p : d) {
                String n = p.getFileName().toString();
                long v = org.jqmail.io.Scan.strict(n);
                if (v >= 0 && spares.size() < SPARE_MAX
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    spares.add(new Spare(n, -1));
                    spareSeq = Math.max(spareSeq, v + 1);
                } else {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Unusable spares are simply not reused; new files are created as qmail does.
            spares.clear();
        }
    }

    private ArrayDeque<Spare> pool(String rel) {
        return rel.startsWith("info/") ? infoSpares : spares;
    }

    private int spareTotal() {
        return infoSpares.size() + spares.size();
    }

    /** Spare files currently kept (for tests). */
    int count() {
        return spareTotal();
    }

    /**
     * A queue file being written from offset 0 for a new message: its channel, how long the
     * file was before (0 for a new file, a recycled spare's length, -1 if not known) and how
     * many bytes have been written ({@link #write}), so that {@link #trim} need not ask.
     */
    static final class Out {
        final FileChannel ch;
        final long before;
        long written;

        Out(FileChannel ch, long before) {
            this.ch = ch;
            this.before = before;
        }
    }

    /**
     * {@code open_excl}: a new empty file, mode 0600 (qmail-send's umask 077); a recycled one
     * when there is a spare. qmail-send is the only writer of its directories; a stale file
     * under the name (left by a crash) is replaced, as qmail's unlink before open_excl does.
     */
    Out createExcl(String rel) throws IOException {
        Spare s = pool(rel).pollLast();
        if (s == null) {
            s = (pool(rel) == spares ? infoSpares : spares).pollLast();
        }
        if (s != null) {
            Path p = path(rel);
            try {
                // rename(2) replaces a stale file of that name at once.
                Files.move(spareDir.resolve(s.name()), p, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                return createNew(rel); // that spare is gone: create as qmail does
            }
            // Not truncated here: the new records overwrite the old ones in the block the file
            // already has (no block allocation), and the caller cuts it to length (trim).
            return new Out(FileChannel.open(p, StandardOpenOption.WRITE), s.size());
        }
        return createNew(rel);
    }

    /** Writes all of {@code b[off, off+n)} at the end of what was written. */
    static void write(Out o, byte[] b, int off, int n) throws IOException {
        QueueFiles.writeFully(o.ch, b, off, n);
        o.written += n;
    }

    /**
     * {@code unlink}: removes {@code rel} from the queue, keeping the file as a spare when
     * recycling is on and there is room. Throws as unlink(2) would (NoSuchFileException if
     * absent).
     */
    void remove(String rel) throws IOException {
        remove(rel, -1);
    }

    /** {@link #remove(String)} of a file whose length the caller knows ({@code -1}: not known). */
    void remove(String rel, long size) throws IOException {
        if (spareDir != null && spareTotal() < SPARE_MAX) {
            String s = Long.toString(spareSeq++);
            try {
                Files.move(path(rel), spareDir.resolve(s), StandardCopyOption.ATOMIC_MOVE);
                pool(rel).addLast(new Spare(s, size));
                return;
            } catch (IOException e) {
                // Fall back to unlink, which reports what is wrong.
            }
        }
        Files.delete(path(rel));
    }

    /**
     * Cuts a file written from offset 0 through {@link #createExcl} to what was written (a
     * recycled file may be longer); call before fsyncing it.
     */
    static void trim(Out o) throws IOException {
        if (o.before < 0) {
            long n = o.ch.position();
            if (o.ch.size() > n) {
                o.ch.truncate(n);
            }
        } else if (o.before > o.written) {
            o.ch.truncate(o.written);
        }
    }

    private Out createNew(String rel) throws IOException {
        try {
            return new Out(FileChannel.open(path(rel), CREATE_NEW, OWNER_ONLY), 0);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // A stale file left by a crash: qmail unlinks it before open_excl.
            Files.delete(path(rel));
            return new Out(FileChannel.open(path(rel), CREATE_NEW, OWNER_ONLY), 0);
        }
    }

    private static final java.util.Set<StandardOpenOption> CREATE_NEW =
            EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
    private static final java.nio.file.attribute.FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
}
