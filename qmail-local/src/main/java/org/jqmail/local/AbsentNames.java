package org.jqmail.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code .qmail} names a warm worker found missing in a home directory, kept while the
 * directory is unchanged (not in qmail, which looks each one up at every delivery): a delivery
 * without {@code .qmail} files asks for three names ({@code .qmail}, {@code .qmaildefault},
 * {@code .qmail-owner}), each a failing stat, and the answers stay the same until an entry of
 * the directory is added, removed or renamed, which changes the directory's mtime and ctime.
 *
 * <p>Every delivery still stats the home directory (qmail's {@code checkhome}); its device,
 * inode, mtime and ctime (in ns) are the stamp. A name is kept only when the directory has no
 * entry of that name at all (lstat, so a dangling symbolic link, whose target may appear
 * without the directory changing, is never kept) and no name contains {@code /}. Names are
 * kept and used only while the stamp was at least {@link #SETTLE_SECONDS} old when taken, so
 * that two changes within one timestamp tick cannot look like none (as qmail-smtpd's
 * {@code ControlCache} does). A changed stamp forgets everything: the next delivery sees
 * every change.
 */
final class AbsentNames {
    static final long SETTLE_SECONDS = 2;
    /** Most names kept for one directory. */
    static final int MAX = 256;

    /** A directory's identity and change times. */
    record Stamp(Object dev, Object ino, long mtimeNs, long ctimeNs) {
    }

    /** The mode and stamp of a directory, from one stat (following links, as chdir does). */
    record Dir(int mode, Stamp stamp) {
    }

    private final Sys sys;
    private Path home;
    private Stamp stamp;
    private boolean settled;
    private final Set<String> absent = new HashSet<>();

    AbsentNames(Sys sys) {
        this.sys = sys;
    }

    /** stat(2) of {@code dir}: its mode and stamp; the exception tells the errno. */
    static Dir stat(Path dir) throws IOException {
        Map<String, Object> a = Files.readAttributes(dir, "unix:mode,dev,ino,lastModifiedTime,ctime");
        return new Dir((Integer) a.get("mode"), new Stamp(a.get("dev"), a.get("ino"),
                ns(a.get("lastModifiedTime")), ns(a.get("ctime"))));
    }

    private static long ns(Object t) {
        return ((FileTime) t).to(TimeUnit.NANOSECONDS);
    }

    /** A delivery to {@code home}, whose stat gave {@code s}: forgets what changed. */
    void at(Path home, Stamp s) {
        if (!home.equals(this.home) || !s.equals(stamp)) {
            absent.clear();
            this.home = home;
            this.stamp = s;
            long limit = (sys.now() - SETTLE_SECONDS) * 1_000_000_000L;
            settled = s.mtimeNs() < limit && s.ctimeNs() < limit;
        }
    }

    /** True if {@code name} is known to be missing from the current home. */
    boolean known(String name) {
        return settled && absent.contains(name);
    }

    /** Whether a missing name would be kept now (the caller then checks it with lstat). */
    boolean keeping(String name) {
        return settled && absent.size() < MAX && name.indexOf('/') < 0;
    }

    /** {@code name} has no entry in the current home (lstat said so). */
    void missing(String name) {
        if (keeping(name)) {
            absent.add(name);
        }
    }

    /** Names kept (for tests). */
    int size() {
        return absent.size();
    }
}
