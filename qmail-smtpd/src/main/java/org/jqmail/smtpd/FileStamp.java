package org.jqmail.smtpd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What identifies one version of a file: device, inode, size, and modification and change
 * times in nanoseconds, from one stat(2) (following symbolic links, as open does).
 *
 * <p>Any write to a file changes its ctime, and so does anything that sets its mtime back
 * (touch, cp -p, tar): the kernel sets ctime to the current time and nobody can set it
 * otherwise. A replaced file (editors, tcprules, qmail-newmrh: a new file renamed over the
 * old) has a new inode. So two equal stamps taken at different times mean an unchanged file,
 * with one exception: times have a granularity (a clock tick, about 4 ms, on Linux's local
 * file systems; a second on ext3 and some network file systems), so a file changed twice
 * within one tick, keeping its size, keeps its stamp. {@link #settled} rules that out: a
 * stamp whose times lie more than {@link #SETTLE_MILLIS} in the past at the moment it was
 * taken can only change to a different stamp.
 *
 * <p>Clocks: the times are compared with this host's clock; a file server whose clock runs
 * ahead only makes {@link #settled} false for longer, one whose clock runs more than
 * {@link #SETTLE_MILLIS} behind could make a stamp look settled too early.
 */
public record FileStamp(long dev, long ino, long size, long mtimeNanos, long ctimeNanos) {
    /** How old a stamp's times must be before two equal stamps mean an unchanged file. */
    public static final long SETTLE_MILLIS = 2000;

    private static final String ATTRS = "unix:size,lastModifiedTime,ctime,dev,ino";

    /** The stamp of {@code p}; {@link java.nio.file.NoSuchFileException} if it does not exist. */
    public static FileStamp of(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, ATTRS);
        return new FileStamp((Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("size"),
                nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("ctime")));
    }

    private static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }

    /**
     * True if both times lie more than {@link #SETTLE_MILLIS} before {@code nowMillis}, a time
     * read before the stamp was taken: any change after the stamp then gets a later time, so a
     * later equal stamp means the same content.
     */
    public boolean settled(long nowMillis) {
        long limit = TimeUnit.MILLISECONDS.toNanos(nowMillis - SETTLE_MILLIS);
        return mtimeNanos < limit && ctimeNanos < limit;
    }
}
