package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.jqmail.control.QueuePaths;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.SubstdioIn;

/**
 * {@code getinfo}: the sender and birth time of a message, from {@code info/S/N}, kept in
 * memory for the messages this process wrote the file for.
 */
final class InfoCache {
    private final Path root;
    private final QueuePaths qp;

    InfoCache(Path root, QueuePaths qp) {
        this.root = root;
        this.qp = qp;
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
        Path fn = root.resolve(qp.info(id));
        try (InputStream in = Files.newInputStream(fn)) {
            BasicFileAttributes st = Files.readAttributes(fn, BasicFileAttributes.class);
            ByteBuf line = new ByteBuf(QueueFiles.RECORD_MAX);
            SubstdioIn ss = new SubstdioIn(in, 128);
            if (ss.getline(line, (byte) 0, QueueFiles.RECORD_MAX) != SubstdioIn.Line.LINE) {
                return null;
            }
            if (line.length() == 0 || line.byteAt(0) != 'F') {
                return null;
            }
            byte[] l = line.toByteArray();
            return new Info(java.util.Arrays.copyOfRange(l, 1, l.length), QueueFiles.seconds(st.lastModifiedTime()), st.size());
        } catch (IOException e) {
            return null;
        }
    }
}
