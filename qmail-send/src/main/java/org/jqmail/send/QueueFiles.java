package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.jqmail.control.QueuePaths;
import org.jqmail.io.IfExists;

/**
 * qmail-send's view of the queue directory ({@code fmtqfn.c}, doc/QUEUE.md §1): file names relative
 * to {@code queue/}, and the few file operations it performs on them with qmail's semantics
 * (stat that tells "absent" from "error", {@code open_append}, {@code utime}). New files are
 * created, and finished ones removed, through {@link Spares}; what the {@code info} files hold
 * is kept in {@link InfoCache}.
 */
final class QueueFiles {
    static final String[] CHANADDR = {"local", "remote"};
    /** Bound on one text0 record of a todo, info or channel file. */
    static final int RECORD_MAX = 64 * 1024;

    private final Path root;
    private final QueuePaths qp;
    private final Spares spares;
    private final InfoCache infos;

    QueueFiles(Path root, int split) {
        this.root = root;
        this.qp = new QueuePaths(split);
        this.spares = new Spares(root);
        this.infos = new InfoCache(root, qp);
    }

    /** The recycled files: how new queue files are created and old ones removed. */
    Spares spares() {
        return spares;
    }

    /** What qmail-send knows of {@code info/S/N} files ({@code getinfo}). */
    InfoCache infos() {
        return infos;
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

    /** Sets atime and mtime, as {@code utime(fn, {t, t})}. */
    void utime(String rel, long t) throws IOException {
        FileTime ft = FileTime.from(t, TimeUnit.SECONDS);
        Files.getFileAttributeView(path(rel), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(ft, ft, null);
    }

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

    static void writeFully(FileChannel ch, byte[] b, int off, int n) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, off, n);
        while (bb.hasRemaining()) {
            ch.write(bb);
        }
    }

}
