package org.jqmail.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import org.jqmail.control.Date822;
import org.jqmail.control.Maildir;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;

/**
 * maildir2mbox: moves a Maildir's messages to the end of an mbox (maildir2mbox(1)).
 *
 * <p>Environment: {@code MAILDIR}, {@code MAIL} (the mbox) and {@code MAILTMP} (a temporary
 * file on the mbox's filesystem); relative {@code MAIL}/{@code MAILTMP} are relative to the
 * Maildir, as after qmail's {@code chdir}. Cleans {@code tmp/}, scans {@code new/} and
 * {@code cur/}; with nothing to do it exits 0 at once. Otherwise it locks {@code MAIL} (flock
 * through {@link Lock}), copies it to {@code MAILTMP}, appends every message with a From_ line
 * ({@code From SENDER CTIME}, SENDER from a first-line {@code Return-Path: <...>},
 * {@code MAILER-DAEMON} for {@code <>}, {@code XXX} without one) and {@code >From} quoting
 * followed by a blank line, syncs, renames {@code MAILTMP} over {@code MAIL} and only then
 * removes the messages.
 *
 * <p>Exit 0; 111 with {@code maildir2mbox: fatal: ...}. A message that cannot be removed
 * afterwards gets {@code maildir2mbox: warning: $MAILDIR/NAME will be delivered twice; unable to
 * unlink: ERR}. A last line without LF is written with one (qmail 1.03 drops it).
 */
final class Mbox {
    private static final String FATAL = "maildir2mbox: fatal: ";
    private static final int CHUNK = 64 * 1024;
    private static final byte[] RETURN_PATH = Bytes.ascii("Return-Path: <");

    /** Ends the program with a fatal message. */
    static final class Die extends Exception {
        private static final long serialVersionUID = 1L;

        Die(String text) {
            super(text, null, false, false);
        }
    }

    private final OutputStream err;

    Mbox(OutputStream err) {
        this.err = err;
    }

    int run(String maildir, String mail, String mailtmp, long now) throws IOException {
        try {
            convert(maildir, mail, mailtmp, now);
            return 0;
        } catch (Die d) {
            err.write(Bytes.ascii(FATAL + d.getMessage() + "\n"));
            err.flush();
            return 111;
        }
    }

    private void convert(String maildirName, String mailName, String tmpName, long now) throws Die, IOException {
        if (mailName == null) {
            throw new Die("MAIL not set");
        }
        if (tmpName == null) {
            throw new Die("MAILTMP not set");
        }
        if (maildirName == null) {
            throw new Die("MAILDIR not set");
        }
        Path dir = Path.of(maildirName);
        if (!Files.isDirectory(dir)) {
            throw new Die("unable to chdir to " + maildirName + ": "
                    + Errors.str(Files.exists(dir) ? Errors.ENOTDIR : Errors.ENOENT));
        }
        Maildir md = new Maildir(dir);
        md.clean(now);
        List<Maildir.Entry> msgs;
        try {
            msgs = md.scan(now);
        } catch (Maildir.ScanException e) {
            throw new Die(e.getMessage());
        }
        if (msgs.isEmpty()) {
            return;
        }
        Path mail = dir.resolve(mailName);
        Path tmp = dir.resolve(tmpName);
        try (Lock lock = Lock.exclusive(mail)) {
            write(dir, mail, mailName, tmp, tmpName, msgs);
            try {
                Files.move(tmp, mail, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new Die("unable to move " + tmpName + " to " + mailName + ": " + Errors.str(e));
            }
        } catch (Lock.LockException e) {
            throw new Die("unable to lock " + mailName + ": " + Errors.str(e.getCause()));
        }
        for (Maildir.Entry m : msgs) {
            try {
                Files.delete(dir.resolve(m.name()));
            } catch (IOException e) {
                err.write(Bytes.ascii("maildir2mbox: warning: $MAILDIR/" + m.name()
                        + " will be delivered twice; unable to unlink: " + Errors.str(e) + "\n"));
                err.flush();
            }
        }
    }

    private void write(Path dir, Path mail, String mailName, Path tmp, String tmpName, List<Maildir.Entry> msgs)
            throws Die, IOException {
        InputStream old;
        try {
            old = Files.newInputStream(mail);
        } catch (IOException e) {
            throw new Die("unable to read " + mailName + ": " + Errors.str(e));
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING), PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            old.close();
            throw new Die("unable to create " + tmpName + ": " + Errors.str(e));
        }
        String writeErr = "unable to write to " + tmpName + ": ";
        try (old; ch) {
            SubstdioOut out = new SubstdioOut(Channels.newOutputStream(ch), 8192);
            copy(old, out, mailName, writeErr);
            for (Maildir.Entry m : msgs) {
                try (InputStream in = Files.newInputStream(dir.resolve(m.name()))) {
                    message(new SubstdioIn(in, 8192), m, out);
                } catch (ReadFail e) {
                    throw new Die("unable to read $MAILDIR/" + m.name() + ": " + Errors.str(e.getCause()));
                } catch (WriteFail e) {
                    throw new Die(writeErr + Errors.str(e.getCause()));
                } catch (IOException e) {
                    throw new Die("unable to read $MAILDIR/" + m.name() + ": " + Errors.str(e));
                }
            }
            try {
                out.flush();
                ch.force(true);
            } catch (IOException e) {
                throw new Die(writeErr + Errors.str(e));
            }
        }
    }

    private static void copy(InputStream in, SubstdioOut out, String mailName, String writeErr) throws Die {
        byte[] b = new byte[CHUNK];
        for (;;) {
            int n;
            try {
                n = in.read(b);
            } catch (IOException e) {
                throw new Die("unable to read " + mailName + ": " + Errors.str(e));
            }
            if (n <= 0) {
                return;
            }
            try {
                out.put(b, 0, n);
            } catch (IOException e) {
                throw new Die(writeErr + Errors.str(e));
            }
        }
    }

    /** A read failure on a message file. */
    private static final class ReadFail extends IOException {
        private static final long serialVersionUID = 1L;

        ReadFail(IOException cause) {
            super(cause);
        }
    }

    /** A write failure on MAILTMP. */
    private static final class WriteFail extends IOException {
        private static final long serialVersionUID = 1L;

        WriteFail(IOException cause) {
            super(cause);
        }
    }

    /** One message: From_ line, quoted lines, blank line. */
    static void message(SubstdioIn in, Maildir.Entry m, SubstdioOut out) throws IOException {
        ByteBuf line = new ByteBuf(CHUNK);
        SubstdioIn.Line r = read(in, line);
        put(out, fromLine(line, r == SubstdioIn.Line.LINE, m.mtime()));
        boolean lineStart = true;
        while (r != SubstdioIn.Line.EOF) {
            if (lineStart && gfrom(line)) {
                put(out, new byte[] {'>'});
            }
            put(out, line.toByteArray());
            if (r == SubstdioIn.Line.LINE || r == SubstdioIn.Line.PARTIAL) {
                put(out, new byte[] {'\n'});
            }
            if (r == SubstdioIn.Line.PARTIAL) {
                break;
            }
            lineStart = r == SubstdioIn.Line.LINE;
            line.clear();
            r = read(in, line);
        }
        put(out, new byte[] {'\n'});
    }

    private static SubstdioIn.Line read(SubstdioIn in, ByteBuf line) throws ReadFail {
        try {
            return in.getline(line, (byte) '\n', CHUNK);
        } catch (IOException e) {
            throw new ReadFail(e);
        }
    }

    private static void put(SubstdioOut out, byte[] b) throws WriteFail {
        try {
            out.put(b);
        } catch (IOException e) {
            throw new WriteFail(e);
        }
    }

    /** {@code From SENDER CTIME}; {@code line} is the first line without its LF. */
    static byte[] fromLine(ByteBuf line, boolean match, long mtime) {
        ByteBuf u = new ByteBuf(Integer.MAX_VALUE - 8);
        byte[] s = line.toByteArray();
        if (match && Bytes.startsWith(s, RETURN_PATH)) {
            if (s.length > 14 && s[14] == '>') {
                u.append("From MAILER-DAEMON ");
            } else {
                // qmail copies up to two bytes before the line's end: the '>' and the LF.
                u.append("From ");
                for (int i = 14; i < s.length - 1; i++) {
                    u.append(s[i] == ' ' || s[i] == '\t' ? '-' : s[i]);
                }
                u.append(' ');
            }
        } else {
            u.append("From XXX ");
        }
        return u.append(Date822.ctime(mtime)).toByteArray();
    }

    /** {@code gfrom}: the line starts with any number of {@code >} and then {@code From }. */
    static boolean gfrom(ByteBuf line) {
        int i = 0;
        while (i < line.length() && line.byteAt(i) == '>') {
            i++;
        }
        return line.length() - i >= 5 && line.byteAt(i) == 'F' && line.byteAt(i + 1) == 'r'
                && line.byteAt(i + 2) == 'o' && line.byteAt(i + 3) == 'm' && line.byteAt(i + 4) == ' ';
    }
}
