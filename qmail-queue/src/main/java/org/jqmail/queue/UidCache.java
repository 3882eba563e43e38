package org.jqmail.queue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * getpwnam's uid for a user name, remembered between submissions: every submission would
 * otherwise read {@code /etc/passwd} once more. The remembered answers are dropped when
 * {@code /etc/passwd} changes (its modification time, size or inode; useradd and vipw replace
 * it) and at the latest after {@link #MAX_AGE_NANOS}, for name services other than files.
 * Names without an entry are not remembered.
 *
 * <p>Thread-safe.
 */
final class UidCache {
    /** Longest a remembered answer is used without a new look-up. */
    static final long MAX_AGE_NANOS = 60_000_000_000L;

    /** The look-up itself: the uid, or -1 when the name has no entry. */
    interface Lookup {
        long uid(String name) throws IOException;
    }

    private final Lookup lookup;
    private final Path passwd;
    private final LongSupplier clock;
    private final Map<String, Entry> uids = new ConcurrentHashMap<>();

    /** One answer and the passwd version and time it was looked up at. */
    private record Entry(Object stamp, long at, long uid) {
    }

    UidCache(Lookup lookup) {
        this(lookup, Paths.get("/etc/passwd"), System::nanoTime);
    }

    UidCache(Lookup lookup, Path passwd, LongSupplier clock) {
        this.lookup = lookup;
        this.passwd = passwd;
        this.clock = clock;
    }

    /** The uid of {@code name}, or -1 if it has none. */
    long uid(String name) throws IOException {
        Object now = stamp();
        long t = clock.getAsLong();
        Entry e = uids.get(name);
        if (e != null && now != null && now.equals(e.stamp()) && t - e.at() <= MAX_AGE_NANOS) {
            return e.uid();
        }
        long v = lookup.uid(name);
        if (v >= 0 && now != null) {
            uids.put(name, new Entry(now, t, v));
        } else {
            uids.remove(name);
        }
        return v;
    }

    /** What identifies this version of the passwd file; null if it cannot be read. */
    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(passwd, BasicFileAttributes.class);
            return java.util.List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
