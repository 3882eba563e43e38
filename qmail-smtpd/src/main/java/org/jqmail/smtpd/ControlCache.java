package org.jqmail.smtpd;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jqmail.control.Control;

/**
 * The control files of one directory as a long-lived process reads them again and again (the
 * SMTP listener, whose every session rereads them as qmail-smtpd does): their contents are
 * kept in memory and served again only while one stat(2) per file, and one of the directory
 * per session for the files that do not exist, shows nothing changed. An edit, a new file or a
 * removed one is seen by the very next session, as with qmail.
 *
 * <p>Synopsis: one cache per directory, shared by all threads; {@link #control()} per session.
 *
 * <p>When a kept copy is used: a file's copy while its {@link FileStamp} (taken before it was
 * read) is unchanged and was {@link FileStamp#settled settled} when taken; that a file does not
 * exist while the directory's stamp (taken before the failed open) is unchanged and was
 * settled, since creating, renaming or linking a file into a directory changes its times.
 * Otherwise the file is read as without the cache. A name that is a dangling symbolic link
 * is never remembered as absent (its target may appear without the directory changing); a
 * file larger than {@link #FILE_CAP} is never kept; errors are never kept.
 *
 * <p>Thread-safe.
 */
public final class ControlCache {
    /** Files larger than this are read from the file system every time. */
    public static final int FILE_CAP = 1 << 20;

    private final Path dir;
    private final LongSupplier clock;
    private final Control.Trouble trouble;
    private final Map<String, Entry> files = new ConcurrentHashMap<>();

    /** A kept file: its contents and stamp, or (contents null) its absence and the directory's stamp. */
    private record Entry(FileStamp stamp, byte[] data) {
    }

    /** A cache of the control files in {@code dir} (normally {@code QMAILHOME/control}). */
    public ControlCache(Path dir) {
        this(dir, System::currentTimeMillis, null);
    }

    /** For tests: {@code clock} gives the current time in milliseconds since the epoch. */
    ControlCache(Path dir, LongSupplier clock) {
        this(dir, clock, null);
    }

    private ControlCache(Path dir, LongSupplier clock, Control.Trouble trouble) {
        this.dir = dir;
        this.clock = clock;
        this.trouble = trouble;
    }

    /** The cache of {@code QMAILHOME/control}. */
    public static ControlCache forHome(Path home) {
        return new ControlCache(home.resolve("control"));
    }

    /**
     * The cache of {@code QMAILHOME/control}, whose readers tell {@code trouble} of every file
     * that exists but cannot be read.
     */
    public static ControlCache forHome(Path home, Control.Trouble trouble) {
        return new ControlCache(home.resolve("control"), System::currentTimeMillis, trouble);
    }

    /** A reader for one session (not thread-safe; it stats the directory at most once). */
    public Control control() {
        return new Control(dir, source(), trouble);
    }

    /** The source behind {@link #control()}: one per session. */
    Control.Source source() {
        return new View();
    }

    /** One session's view: the directory's stamp is taken once, before its first use. */
    private final class View implements Control.Source {
        private boolean dirRead;
        private FileStamp dirStamp;
        private boolean dirSettled;

        /** The directory's stamp (null if unreadable), taken on first use. */
        private FileStamp dir() {
            if (!dirRead) {
                dirRead = true;
                long now = clock.getAsLong();
                try {
                    dirStamp = FileStamp.of(dir);
                    dirSettled = dirStamp.settled(now);
                } catch (IOException | RuntimeException e) {
                    dirStamp = null;
                }
            }
            return dirStamp;
        }

        private boolean knownAbsent(Entry e) {
            return e != null && e.data() == null && e.stamp().equals(dir());
        }

        @Override
        public InputStream open(Path p) throws IOException {
            String name = name(p);
            if (name == null) {
                return Control.openFile(p);
            }
            Entry e = files.get(name);
            if (knownAbsent(e)) {
                return null;
            }
            if (e != null && e.data() != null) {
                if (e.stamp().equals(stampOrNull(p))) {
                    return new ByteArrayInputStream(e.data());
                }
            }
            return load(name, p);
        }

        @Override
        public boolean mayExist(Path p) throws IOException {
            String name = name(p);
            if (name == null) {
                return true;
            }
            Entry e = files.get(name);
            if (knownAbsent(e)) {
                return false;
            }
            if (e != null && e.data() != null) {
                return true;
            }
            dir();
            if (stampOrNull(p) != null) {
                return true;
            }
            absent(name, p);
            return false;
        }

        /** Reads the file afresh and keeps it if its stamp allows; null if it does not exist. */
        private InputStream load(String name, Path p) throws IOException {
            dir();
            long now = clock.getAsLong();
            FileStamp before = stampOrNull(p);
            InputStream in = before == null ? null : Control.openFile(p);
            if (in == null) {
                absent(name, p);
                return null;
            }
            byte[] data;
            try {
                data = in.readNBytes(FILE_CAP + 1);
            } catch (IOException | RuntimeException x) {
                in.close();
                files.remove(name);
                throw x;
            }
            if (data.length > FILE_CAP) {
                files.remove(name);
                return new SequenceInputStream(new ByteArrayInputStream(data), in);
            }
            in.close();
            if (before.settled(now)) {
                files.put(name, new Entry(before, data));
            } else {
                files.remove(name);
            }
            return new ByteArrayInputStream(data);
        }

        /** Remembers that {@code name} does not exist, if the directory's stamp allows. */
        private void absent(String name, Path p) {
            if (dirStamp != null && dirSettled && !Files.isSymbolicLink(p)) {
                files.put(name, new Entry(dirStamp, null));
            } else {
                files.remove(name);
            }
        }
    }

    /** The name of {@code p} if it is a plain name in this directory, else null (not cached). */
    private String name(Path p) {
        if (!dir.equals(p.getParent())) {
            return null;
        }
        String n = p.getFileName().toString();
        return n.isEmpty() || n.equals(".") || n.equals("..") ? null : n;
    }

    private static FileStamp stampOrNull(Path p) throws IOException {
        try {
            return FileStamp.of(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** For tests: whether a copy or an absence of {@code name} is kept. */
    boolean holds(String name) {
        return files.containsKey(name);
    }

    /** For tests: the kept contents of {@code name}, or null. */
    byte[] kept(String name) {
        Entry e = files.get(name);
        return e == null || e.data() == null ? null : Arrays.copyOf(e.data(), e.data().length);
    }
}
