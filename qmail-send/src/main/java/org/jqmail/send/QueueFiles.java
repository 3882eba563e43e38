package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.jqmail.control.QueuePaths;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.IfExists;
import org.jqmail.io.SubstdioIn;

/**
 * qmail-send's view of the queue directory ({@code fmtqfn.c}, doc/QUEUE.md §1): file names relative
 * to {@code queue/}, and the few file operations it performs on them with qmail's semantics
 * (exclusive creation with mode 0600, stat that tells "absent" from "error", {@code utime}).
 *
 * <p>Recycled files (not in qmail): the {@code info}, {@code local} and {@code remote} files a
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
final class QueueFiles {
    static final String[] CHANADDR = {"local", "remote"};
    /** Bound on one text0 record of a todo, info or channel file. */
    static final int RECORD_MAX = 64 * 1024;

    /** Most recycled files kept in {@code queue/spare/}. */
    static final int SPARE_MAX = 2048;

    private final Path root;
    private final QueuePaths qp;
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

    QueueFiles(Path root, int split) {
        this.root = root;
        this.qp = new QueuePaths(split);
        Path sd = root.resolve("spare");
        this.spareDir = Files.isDirectory(sd, LinkOption.NOFOLLOW_LINKS) ? sd : null;
        adoptSpares();
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
    int spareCount() {
        return spareTotal();
    }

    Path root() {
        return root;
    }

    int split() {
        return qp.split();
    }

    Path path(String rel) {
        return root.resolve(rel);
    }

    String info(long id) {
        return qp.info(id);
    }

    String mess(long id) {
        return qp.mess(id);
    }

    String chan(long id, int c) {
        return qp.split(CHANADDR[c], id);
    }

    /** The spawn command's message name, {@code (id mod SPLIT)/id}. */
    String messfile(long id) {
        return qp.messfile(id);
    }

    static String todo(long id) {
        return QueuePaths.todo(id);
    }

    static String bounce(long id) {
        return QueuePaths.bounce(id);
    }

    static String foop(long id) {
        return QueuePaths.flat("foop", id);
    }

    /** stat(2): the attributes, or null if the file does not exist; other errors throw. */
    BasicFileAttributes stat(String rel) throws IOException {
        return IfExists.attributes(path(rel));
    }

    static long seconds(FileTime t) {
        return t.to(TimeUnit.SECONDS);
    }

    /** unlink(2) where ENOENT is fine; returns false if there was nothing to remove. */
    boolean unlinkIfExists(String rel) throws IOException {
        return Files.deleteIfExists(path(rel));
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
        writeFully(o.ch, b, off, n);
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

    /** {@code open_append}: creates the file 0600 if needed. */
    FileChannel openAppend(String rel) throws IOException {
        return FileChannel.open(path(rel),
                EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.APPEND, StandardOpenOption.CREATE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /** A channel file for its pass and its {@code markdone} writes. */
    FileChannel openReadWrite(String rel) throws IOException {
        return FileChannel.open(path(rel), StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    InputStream openRead(String rel) throws IOException {
        return Files.newInputStream(path(rel));
    }

    /** Sets atime and mtime, as {@code utime(fn, {t, t})}. */
    void utime(String rel, long t) throws IOException {
        FileTime ft = FileTime.from(t, TimeUnit.SECONDS);
        Files.getFileAttributeView(path(rel), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(ft, ft, null);
    }

    static void writeFully(FileChannel ch, byte[] b, int off, int n) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, off, n);
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }

    /** The sender and birth time of a message, from {@code info/S/N} ({@code getinfo}). */
    record Info(byte[] sender, long birth, long size) {
    }

    /**
     * Most {@link Info}s kept in memory ({@link #remember}); beyond that getinfo reads the
     * file, as qmail does for every one.
     */
    static final int INFO_CACHE_MAX = 16384;
    /**
     * What {@code info/S/N} holds, for the messages this process wrote it for (not in qmail,
     * which reads the file at every pass): qmail-send is the only writer of {@code info/}, and
     * the file never changes once written, so the first pass of a new message need not read
     * it back. Dropped when the file goes ({@link #forgetInfo}).
     */
    private final java.util.HashMap<Long, Info> infos = new java.util.HashMap<>();

    /** Keeps what {@code info/S/N} holds: its sender record and its mtime (the birth). */
    void remember(long id, Info info) {
        if (infos.size() < INFO_CACHE_MAX || infos.containsKey(id)) {
            infos.put(id, info);
        }
    }

    /**
     * {@code info/S/N} is going (or its content is not known any more); returns its length if
     * it was known, else -1.
     */
    long forgetInfo(long id) {
        Info i = infos.remove(id);
        return i == null ? -1 : i.size();
    }

    /** Infos kept (for tests). */
    int infosKept() {
        return infos.size();
    }

    /**
     * {@code getinfo}: null if the info file cannot be opened or read or is malformed. From
     * memory when this process wrote it ({@link #remember}).
     */
    Info getinfo(long id) {
        Info known = infos.get(id);
        if (known != null) {
            return known;
        }
        String fn = info(id);
        try (InputStream in = openRead(fn)) {
            BasicFileAttributes st = Files.readAttributes(path(fn), BasicFileAttributes.class);
            ByteBuf line = new ByteBuf(RECORD_MAX);
            SubstdioIn ss = new SubstdioIn(in, 128);
            if (ss.getline(line, (byte) 0, RECORD_MAX) != SubstdioIn.Line.LINE) {
                return null;
            }
            if (line.length() == 0 || line.byteAt(0) != 'F') {
                return null;
            }
            byte[] l = line.toByteArray();
            return new Info(java.util.Arrays.copyOfRange(l, 1, l.length), seconds(st.lastModifiedTime()), st.size());
        } catch (IOException e) {
            return null;
        }
    }
}
