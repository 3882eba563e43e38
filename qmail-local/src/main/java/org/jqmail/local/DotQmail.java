package org.jqmail.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jqmail.control.Auto;
import org.jqmail.control.TempFail;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;
import org.jqmail.io.IfExists;

/**
 * Finding, checking and reading the user's {@code .qmail} file (qmail-local(8)) and choosing
 * NEWSENDER (qmail-command(8)), as {@code qmesearch}, {@code qmeexists} and {@code qmeox} do.
 *
 * <p>Lookup order for DASH {@code -} and extension {@code a-b-c}: {@code .qmail-a-b-c},
 * {@code .qmail-a-b-default}, {@code .qmail-a-default}, {@code .qmail-default}. Only a regular
 * file counts; a file that cannot be opened for a temporary reason, EPERM or EACCES defers the
 * delivery; any other open error means "not there". A found file whose mode has a {@code PATRN}
 * bit is refused; one with the owner-execute bit is forward-only.
 *
 * <p>The file is read whole, up to {@link #MAX} bytes; a larger one is treated like qmail
 * running out of memory reading it ({@code Out of memory.}, temporary), as doc/CODING.md §3 asks of
 * capped control files.
 */
final class DotQmail {
    /** Bound on a {@code .qmail} file (a long forwarding list is a few hundred KiB). */
    static final int MAX = 8 * 1024 * 1024;
    private static final byte[] QMAIL = Bytes.ascii(".qmail");
    private static final byte[] DEFAULT = Bytes.ascii("default");

    private final Path home;
    private final byte[] dash;
    private final byte[] safeext;

    DotQmail(Path home, byte[] dash, byte[] safeext) {
        this.home = home;
        this.dash = dash;
        this.safeext = safeext;
    }

    /**
     * A found file: its name, its open channel, whether it is forward-only, and the value of
     * DEFAULT it implies (null if none).
     */
    record Found(byte[] name, FileChannel ch, boolean forwardOnly, byte[] defaultValue) {
        Found withDefault(byte[] value) {
            return new Found(name, ch, forwardOnly, value);
        }
    }

    /** {@code qmesearch}: the file to use, or null if there is none. */
    Found search(byte[] ext) throws TempFail {
        byte[] name = Bytes.concat(QMAIL, dash, safeext);
        Found f = open(name);
        if (f != null) {
            int i = safeext.length - DEFAULT.length;
            if (i >= 0 && Bytes.endsWith(safeext, DEFAULT) && i <= ext.length) {
                return f.withDefault(Bytes.sub(ext, i));
            }
            return f;
        }
        for (int i = safeext.length; i >= 0; i--) {
            if (i == 0 || safeext[i - 1] == '-') {
                name = Bytes.concat(QMAIL, dash, Bytes.sub(safeext, 0, i), DEFAULT);
                f = open(name);
                if (f != null) {
                    return i <= ext.length ? f.withDefault(Bytes.sub(ext, i)) : f;
                }
            }
        }
        return null;
    }

    /**
     * {@code qmeexists}: the open file if {@code name} is a regular file, null if it does not
     * count as existing. Checks the type before opening so that a FIFO is never opened (qmail
     * opens with O_NDELAY, which the JDK cannot).
     */
    private Found open(byte[] name) throws TempFail {
        Path p = Jnu.path(home, name);
        int mode;
        try {
            if (IfExists.attributes(p) == null) {
                return null; // ENOENT, the usual answer, without an exception
            }
            mode = Stat.mode(p);
        } catch (IOException e) {
            deferIfRefused(name, e);
            return null;
        }
        if (!Stat.isReg(mode)) {
            // qmail opens it and then ignores it; only a refused open (EACCES) defers.
            if ((mode & Stat.S_IFMT) != Stat.S_IFSOCK && !Files.isReadable(p)) {
                throw Trouble.qmail(name, new AccessDeniedException(p.toString()));
            }
            return null;
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(p, StandardOpenOption.READ);
        } catch (IOException e) {
            deferIfRefused(name, e);
            return null;
        }
        if ((mode & Auto.PATRN) != 0) {
            close(ch);
            throw Trouble.qmailWritable();
        }
        return new Found(name, ch, (mode & Stat.S_IXUSR) != 0, null);
    }

    /** An open failure defers for temporary errors, EPERM and EACCES; else "not there". */
    private static void deferIfRefused(byte[] name, IOException e) throws TempFail {
        int errno = Errors.errno(e);
        if (errno == Errors.UNKNOWN || Errors.isTemporary(errno) || errno == Errors.EPERM
                || errno == Errors.EACCES) {
            throw Trouble.qmail(name, e);
        }
    }

    /** {@code slurpclose}: the whole file, then closes it. */
    static byte[] read(Found f) throws TempFail {
        try (FileChannel ch = f.ch(); InputStream in = Channels.newInputStream(ch)) {
            byte[] b = in.readNBytes(MAX + 1);
            if (b.length > MAX) {
                throw Trouble.nomem();
            }
            return b;
        } catch (IOException e) {
            // qmail's slurpclose failure path is temp_nomem, read errors included.
            throw Trouble.nomem();
        }
    }

    /** {@code qmeox}: true if {@code .qmail DASH safeext suffix} exists (any type). */
    boolean exists(byte[] suffix) throws TempFail {
        byte[] name = Bytes.concat(QMAIL, dash, safeext, suffix);
        try {
            return IfExists.attributes(Jnu.path(home, name)) != null;
        } catch (IOException e) {
            if (Errors.isTemporary(e)) {
                throw Trouble.qmail(name, e);
            }
            return false;
        }
    }

    /** NEWSENDER (qmail-command(8)). */
    byte[] newsender(byte[] sender, byte[] local, byte[] host) throws TempFail {
        if (sender.length == 0 || Bytes.str(sender).equals("#@[]")) {
            return sender;
        }
        if (!exists(Bytes.ascii("-owner"))) {
            return sender;
        }
        if (exists(Bytes.ascii("-owner-default"))) {
            return Bytes.concat(local, Bytes.ascii("-owner-@"), host, Bytes.ascii("-@[]"));
        }
        return Bytes.concat(local, Bytes.ascii("-owner@"), host);
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Read-only: nothing lost.
        }
    }
}
