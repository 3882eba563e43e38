package org.jqmail.send.clean;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jqmail.control.LoneFile;
import org.jqmail.control.QueuePaths;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.IfExists;
import org.jqmail.io.Scan;
import org.jqmail.io.SubstdioIn;

/**
 * qmail-clean's request loop (doc/PROTOCOLS.md §4): reads {@code foop/N\0} or {@code todo/N\0}
 * requests and answers each with one byte: {@code +} (done; a missing file counts as done),
 * {@code !} (an unlink failed) or {@code x} (malformed). At start, and then every 31st request,
 * removes {@code pid/} files not accessed for 36 hours (the remains of a crashed qmail-queue).
 *
 * <p>Deliberate difference: qmail-clean 1.03 answers {@code x} once per non-digit byte and then
 * still acts on the leading digits (its {@code continue} only leaves the inner loop), which
 * would desynchronise qmail-send; here such a request gets exactly one {@code x}. qmail-send
 * never sends one.
 *
 * <p>Recycled files (not in qmail): when {@code queue/qspare/} exists, a {@code mess} or
 * {@code intd} file that is to go and has no other link is emptied and renamed to
 * {@code qspare/I}, {@code I} its inode number (unique, so no spare ever replaces another),
 * instead of unlinked, as long as fewer than {@value #SPARE_MAX} spares are there; qmail-queued
 * takes it for a new message
 * ({@code org.jqmail.queue.Spares}). Its name leaves {@code mess/} or {@code intd/} just as with
 * unlink. Emptied first, so that a spare holds no disk blocks and a taken one can never show
 * old bytes; since it is emptied before it is renamed, a file can be emptied only while it
 * still has its queue name, and only once its message no longer needs it. For the same
 * reason {@code todo/N} is removed before {@code intd/N} (qmail-clean: the other way round):
 * the two are one file, and emptying it while {@code todo/N} still existed would leave a crash
 * with an empty {@code todo/N}; the other order leaves at worst an {@code intd/N} without
 * {@code todo/N}, which the message's final {@code foop} removes.
 */
public final class Cleaner {
    static final long OSSIFIED = 129600;
    /** Most files kept in {@code qspare/}. */
    static final int SPARE_MAX = 2048;
    /** Requests to wait before counting a full {@code qspare/} again. */
    private static final int RECOUNT_AFTER = 64;
    private static final int LINE_MAX = 100;
    private static final byte[] FOOP = Bytes.ascii("foop/");
    private static final byte[] TODO = Bytes.ascii("todo");

    private final Path queue;
    private final QueuePaths qp;
    /** The time in seconds. */
    private final LongSupplier clock;
    /** {@code queue/qspare}, or null when it does not exist (no recycling). */
    private final Path spareDir;
    /** Spares there at most: counted when it reaches the limit, since qmail-queued takes some. */
    private int spareCount = SPARE_MAX;
    private int recountIn;

    public Cleaner(Path queue, int split, LongSupplier clock) {
        this.queue = queue;
        this.qp = new QueuePaths(split);
        this.clock = clock;
        Path sd = queue.resolve("qspare");
        this.spareDir = Files.isDirectory(sd, LinkOption.NOFOLLOW_LINKS) ? sd : null;
    }

    /** Runs until end of input (0) or until a reply cannot be written (100). */
    public int run(InputStream in, OutputStream out) {
        SubstdioIn ss = new SubstdioIn(in, 512);
        ByteBuf line = new ByteBuf(LINE_MAX + 1);
        byte[] replies = new byte[64];
        int nreplies = 0;
        int cleanuploop = 0;
        for (;;) {
            if (cleanuploop > 0) {
                cleanuploop--;
            } else {
                cleanuppid();
                cleanuploop = 30;
            }
            SubstdioIn.Line r;
            try {
                line.clear();
                r = ss.getline(line, (byte) 0, LINE_MAX);
                if (r == SubstdioIn.Line.TOO_LONG && !ss.skipLine((byte) 0)) {
                    return 0;
                }
            } catch (IOException e) {
                return 0;
            }
            if (r == SubstdioIn.Line.EOF || r == SubstdioIn.Line.PARTIAL) {
                return 0;
            }
            byte reply = r == SubstdioIn.Line.TOO_LONG ? (byte) 'x' : handle(line.toByteArray());
            replies[nreplies++] = reply;
            // The replies to requests that came together go back together (qmail-clean writes
            // each at once): written when no further whole request is already here, so that a
            // reply never waits for input.
            if (nreplies == replies.length || !wholeRequestBuffered(ss)) {
                try {
                    out.write(replies, 0, nreplies);
                    out.flush();
                } catch (IOException e) {
                    return 100;
                }
                nreplies = 0;
            }
        }
    }

    /** True if the input buffer already holds a whole request (up to its NUL). */
    static boolean wholeRequestBuffered(SubstdioIn ss) {
        byte[] b = ss.array();
        for (int i = ss.position(), end = i + ss.buffered(); i < end; i++) {
            if (b[i] == 0) {
                return true;
            }
        }
        return false;
    }

    /** One request without its NUL; returns the reply byte. */
    byte handle(byte[] req) {
        int len = req.length + 1;
        if (len < 7 || len > LINE_MAX) {
            return 'x';
        }
        for (int i = 5; i < req.length; i++) {
            if (req[i] < '0' || req[i] > '9') {
                return 'x';
            }
        }
        long[] v = new long[1];
        if (Scan.ulong(req, 5, req.length, v) == 0) {
            return 'x';
        }
        long id = v[0];
        if (Bytes.startsWith(req, FOOP)) {
            // intd/N is mostly gone by now (the todo request took it); mess/N is there.
            return retire(QueuePaths.intd(id), false) && retire(qp.mess(id), true) ? (byte) '+' : (byte) '!';
        }
        // qmail-clean compares only four bytes here.
        if (Bytes.startsWith(req, TODO)) {
            if (spareDir == null) {
                return unlink(QueuePaths.intd(id)) && unlink(QueuePaths.todo(id)) ? (byte) '+' : (byte) '!';
            }
            return unlink(QueuePaths.todo(id)) && retire(QueuePaths.intd(id), true) ? (byte) '+' : (byte) '!';
        }
        return 'x';
    }

    /**
     * Removes {@code fn} from the queue as {@link #unlink} does, keeping the file as an empty
     * spare when recycling is on and it is a regular file with no other link.
     */
    private boolean retire(String fn, boolean likely) {
        if (spareDir == null) {
            return unlink(fn);
        }
        Path p = queue.resolve(fn);
        try {
            // A file that is likely there is looked at once (a missing one then costs an
            // exception); one that is mostly gone (intd/N of a foop request) is first asked
            // for without an exception.
            if (!likely && IfExists.attributes(p, LinkOption.NOFOLLOW_LINKS) == null) {
                return true;
            }
            long ino = LoneFile.ino(p);
            if (ino < 0 || !roomForSpare()) {
                return unlink(fn);
            }
            FileChannel.open(p, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                    LinkOption.NOFOLLOW_LINKS).close();
            Files.move(p, spareDir.resolve(Long.toString(ino)), StandardCopyOption.ATOMIC_MOVE);
            spareCount++;
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | RuntimeException e) {
            return unlink(fn);
        }
    }

    /** True if {@code qspare/} has room, counting its files when the estimate says it is full. */
    private boolean roomForSpare() {
        if (spareCount < SPARE_MAX) {
            return true;
        }
        if (recountIn > 0) {
            recountIn--;
            return false;
        }
        spareCount = 0;
        try (DirectoryStream<Path> d = Files.newDirectoryStream(spareDir)) {
            for (Path ignored : d) {
                if (++spareCount >= SPARE_MAX) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            spareCount = SPARE_MAX;
        }
        if (spareCount < SPARE_MAX) {
            return true;
        }
        recountIn = RECOUNT_AFTER;
        return false;
    }

    /**
     * unlink(2), where a missing file counts as done. {@code File.delete} is the plain system
     * call ({@code Files.delete} stats the file first); only when it fails is the file looked
     * at, to tell "already gone" from a real failure.
     */
    private boolean unlink(String fn) {
        Path p = queue.resolve(fn);
        if (p.toFile().delete()) {
            return true;
        }
        try {
            Files.deleteIfExists(p);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code cleanuppid}: errors are ignored; the next round tries again. */
    void cleanuppid() {
        long time = clock.getAsLong();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(queue.resolve("pid"))) {
            for (Path p : dir) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (time < a.lastAccessTime().to(TimeUnit.SECONDS) + OSSIFIED) {
                        continue;
                    }
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // As qmail-clean: skip this one.
                }
            }
        } catch (IOException | RuntimeException e) {
            // No pid/ directory to clean.
        }
    }
}
