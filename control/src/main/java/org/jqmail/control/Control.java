package org.jqmail.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Scan;
import org.jqmail.io.SubstdioIn;

/**
 * Control-file reading with qmail's rules ({@code control.c}, qmail-control(5)).
 *
 * <p>Each reader distinguishes three outcomes: present, absent (the file does not exist: use the
 * default) and error (any other failure: an {@link IOException}, which callers treat as
 * temporary). Single-value files use only their first line with trailing LF, space and TAB
 * removed; an empty file is the empty string, not absent. List files drop empty lines and lines
 * starting with {@code #}.
 *
 * <p>qmail reads control files of any length. So do we, up to bounds no real configuration
 * comes near and that keep a runaway file from exhausting memory: a line (the value of a
 * single-value file, or one line of a list file) of at most {@link #LINE_MAX} bytes, a list
 * file of at most {@link #FILE_MAX}. A file past its bound is an error like an unreadable
 * one ({@link TooLargeException}, temporary for every caller), reported to the reader's
 * {@link Trouble} once per read, so that a long-lived program can say it once
 * ({@code doc/SECURITY.md} §4).
 */
public final class Control {
    /** Bound on one line: the value of a single-value file, or a line of a list file. */
    public static final int LINE_MAX = 1024 * 1024;
    /** Bound on a whole list control file. */
    public static final int FILE_MAX = 64 * 1024 * 1024;

    /** Thrown when a control file exceeds its bound. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(Path p, String what, int max) {
            super(p + ": " + what + " longer than " + max + " bytes, the bound on control files");
        }
    }

    /** Told of every control file that exists but cannot be read (too large, or an I/O error). */
    public interface Trouble {
        void unreadable(Path p, IOException e);
    }

    /** Where the bytes of control files come from, if not straight from the file system. */
    public interface Source {
        /** The file's contents from its start, or null if it does not exist (ENOENT). */
        InputStream open(Path p) throws IOException;

        /** False only if {@code p} is known not to exist (the caller need not try to open it). */
        boolean mayExist(Path p) throws IOException;
    }

    private final Path dir;
    private final Source src;
    private final Trouble trouble;
    private byte[] me;
    private boolean meRead;

    /** Reads control files from {@code dir} (normally {@code QMAILHOME/control}). */
    public Control(Path dir) {
        this(dir, null);
    }

    /** Reads control files from {@code dir} through {@code src} (null: the file system). */
    public Control(Path dir, Source src) {
        this(dir, src, null);
    }

    /** As above, telling {@code trouble} (may be null) of files that exist but cannot be read. */
    public Control(Path dir, Source src, Trouble trouble) {
        this.dir = dir;
        this.src = src;
        this.trouble = trouble;
    }

    /** The control directory of this installation. */
    public static Control forHome(Path home) {
        return new Control(home.resolve("control"));
    }

    public Path dir() {
        return dir;
    }

    public Path path(String name) {
        return dir.resolve(name);
    }

    /**
     * False only if the file {@code name} is known not to exist; true means "open it and see"
     * (for files not read through this class, such as {@code morercpthosts.cdb}).
     */
    public boolean mayExist(String name) throws IOException {
        return src == null || src.mayExist(dir.resolve(name));
    }

    private InputStream open(Path p) throws IOException {
        return src == null ? openFile(p) : src.open(p);
    }

    /** The file's contents, or null if it does not exist. */
    public static InputStream openFile(Path p) throws IOException {
        try {
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * {@code control_init}: reads {@code me}. Absent is fine; an unreadable {@code me} is an
     * error.
     */
    public byte[] me() throws IOException {
        if (!meRead) {
            me = readLine("me");
            meRead = true;
        }
        return me;
    }

    /** The first line of {@code name} with trailing LF/space/TAB removed, or null if absent. */
    public byte[] readLine(String name) throws IOException {
        Path p = dir.resolve(name);
        try {
            InputStream f = open(p);
            if (f == null) {
                return null;
            }
            try (InputStream in = f) {
                SubstdioIn ss = new SubstdioIn(in, 1024);
                ByteBuf line = new ByteBuf(LINE_MAX);
                if (ss.getline(line, (byte) '\n', LINE_MAX) == SubstdioIn.Line.TOO_LONG) {
                    throw new TooLargeException(p, "its first line is", LINE_MAX);
                }
                return stripTrailing(line.toByteArray());
            }
        } catch (IOException e) {
            throw told(p, e);
        }
    }

    /**
     * The whole file {@code name} as bytes, or null if it does not exist; a file longer than
     * {@code max} bytes is a {@link TooLargeException}. For files that are not lists of lines,
     * such as {@code servercert.pem} (doc/TLS.md §2).
     */
    public byte[] readBytes(String name, int max) throws IOException {
        Path p = dir.resolve(name);
        try {
            InputStream f = open(p);
            if (f == null) {
                return null;
            }
            try (InputStream in = f) {
                byte[] b = in.readNBytes(max + 1);
                if (b.length > max) {
                    throw new TooLargeException(p, "it is", max);
                }
                return b;
            }
        } catch (IOException e) {
            throw told(p, e);
        }
    }

    /** Tells {@link #trouble} of {@code e} and returns it to be thrown. */
    private IOException told(Path p, IOException e) {
        if (trouble != null) {
            trouble.unreadable(p, e);
        }
        return e;
    }

    /**
     * {@code control_rldef}: the first line; if absent, {@code me} when {@code useMe} and
     * {@code me} exists, else {@code dflt} (which may be null: absent).
     */
    public byte[] rldef(String name, boolean useMe, byte[] dflt) throws IOException {
        byte[] v = readLine(name);
        if (v != null) {
            return v;
        }
        if (useMe && me() != null) {
            return me();
        }
        return dflt;
    }

    /** {@link #rldef} with an ASCII default. */
    public byte[] rldef(String name, boolean useMe, String dflt) throws IOException {
        return rldef(name, useMe, dflt == null ? null : Auto.ascii(dflt));
    }

    /**
     * {@code control_readint}: leading decimal digits of the first line stored into a C
     * {@code int}; {@code dflt} if the file is absent or starts with no digit.
     */
    public int readInt(String name, int dflt) throws IOException {
        byte[] v = readLine(name);
        return v == null ? dflt : Scan.cInt(v, dflt);
    }

    /**
     * {@code control_readfile}: every line with trailing LF/space/TAB removed, without empty
     * lines and lines starting with {@code #}. If absent: {@code [me]} when {@code useMe} and
     * {@code me} exists, else null.
     */
    public List<byte[]> readFile(String name, boolean useMe) throws IOException {
        Path p = dir.resolve(name);
        InputStream f;
        try {
            f = open(p);
        } catch (IOException e) {
            throw told(p, e);
        }
        if (f == null) {
            if (useMe && me() != null) {
                List<byte[]> l = new ArrayList<>();
                l.add(me());
                return l;
            }
            return null;
        }
        List<byte[]> out = new ArrayList<>();
        try (InputStream in = f) {
            SubstdioIn ss = new SubstdioIn(in, 4096);
            ByteBuf line = new ByteBuf(LINE_MAX);
            long total = 0;
            for (;;) {
                line.clear();
                SubstdioIn.Line r = ss.getline(line, (byte) '\n', LINE_MAX);
                if (r == SubstdioIn.Line.EOF) {
                    break;
                }
                total += line.length() + 1;
                if (r == SubstdioIn.Line.TOO_LONG) {
                    throw new TooLargeException(p, "a line is", LINE_MAX);
                }
                if (total > FILE_MAX) {
                    throw new TooLargeException(p, "it is", FILE_MAX);
                }
                byte[] s = stripTrailing(line.toByteArray());
                if (s.length > 0 && s[0] != '#') {
                    out.add(s);
                }
                if (r == SubstdioIn.Line.PARTIAL) {
                    break;
                }
            }
            return out;
        } catch (IOException e) {
            throw told(p, e);
        }
    }

    /** A list file as a case-insensitive set (null if absent). */
    public ConstMap readSet(String name, boolean useMe) throws IOException {
        List<byte[]> l = readFile(name, useMe);
        return l == null ? null : ConstMap.ofList(l);
    }

    /** A colon-map list file ({@code key:value}; last key wins), empty if absent. */
    public ConstMap readColonMap(String name) throws IOException {
        List<byte[]> l = readFile(name, false);
        return l == null ? ConstMap.ofList(List.of()) : ConstMap.ofColonLines(l);
    }

    /** Strips trailing LF, space and TAB bytes, as control.c does. */
    static byte[] stripTrailing(byte[] s) {
        int n = s.length;
        while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t')) {
            n--;
        }
        return n == s.length ? s : java.util.Arrays.copyOf(s, n);
    }
}
