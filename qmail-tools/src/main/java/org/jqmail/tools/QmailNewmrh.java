package org.jqmail.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.jqmail.control.Auto;
import org.jqmail.control.CdbMake;
import org.jqmail.control.Control;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.SubstdioIn;

/**
 * qmail-newmrh: compiles {@code control/morercpthosts} into {@code control/morercpthosts.cdb}.
 *
 * <p>Synopsis: {@code qmail-newmrh} (no arguments, no input). Each line of
 * {@code QMAILHOME/control/morercpthosts} is lowercased (ASCII only), stripped of trailing
 * spaces, TABs and LF, and, unless it is then empty or starts with {@code #}, added as a key
 * with empty data. The cdb is written as {@code control/morercpthosts.tmp} (mode 0644, as
 * qmail's umask 033 gives), fsynced and renamed over {@code control/morercpthosts.cdb}, so
 * qmail-smtpd sees the old or the new file, never half of one.
 *
 * <p>Exit codes: 0 on success, 111 on any failure, after one line on stderr:
 * {@code qmail-newmrh: fatal: unable to read control/morercpthosts: ERR},
 * {@code ... unable to write to control/morercpthosts.tmp: ERR} or
 * {@code ... unable to move control/morercpthosts.tmp to control/morercpthosts.cdbERR} (qmail
 * prints no separator before that last error text; we keep its bytes). A missing
 * {@code morercpthosts} is a read error, as in qmail. Lines are capped at
 * {@link Control#LINE_MAX} bytes (qmail has no cap); a longer line is a read error with
 * qmail's {@code out of memory} text, which is what qmail reports when it cannot hold a line.
 *
 * <p>The file-level logic lives in {@link #run} so tests can call it with any QMAILHOME. An
 * administrator's tool, so it lives in qmail-tools; qmail-smtpd reads its output.
 *
 * <p>See also: qmail-newmrh(8), qmail-smtpd(8), qmail-control(5), qmail's cdb.3.
 */
public final class QmailNewmrh {
    static final String FATAL = "qmail-newmrh: fatal: ";
    static final String MRH = "control/morercpthosts";
    static final String TMP = "control/morercpthosts.tmp";
    static final String CDB = "control/morercpthosts.cdb";

    private QmailNewmrh() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        int code;
        try {
            code = run(Auto.get().home(), Out.stderr());
        } catch (Throwable t) {
            code = Main.failed("qmail-newmrh", t, 111);
        }
        Main.end(code);
    }

    /** A fatal condition: the complete line qmail prints, without its newline. */
    static final class Fatal extends Exception {
        private static final long serialVersionUID = 1L;

        Fatal(String line) {
            super(line, null, false, false);
        }
    }

    /**
     * Compiles {@code home/control/morercpthosts}; returns the exit code after writing any
     * fatal line to {@code err}.
     */
    static int run(Path home, OutputStream err) {
        try {
            try {
                make(home);
                return 0;
            } catch (OutOfMemoryError e) {
                // Where qmail's cdbmss_add fails for want of memory.
                throw new Fatal(FATAL + "unable to write to " + TMP + ": "
                        + Errors.str(Errors.ENOMEM));
            }
        } catch (Fatal f) {
            try {
                err.write(Bytes.ascii(f.getMessage() + "\n"));
                err.flush();
            } catch (IOException e) {
                // Nowhere left to report it; the exit code still says it failed.
            }
            return 111;
        }
    }

    private static void make(Path home) throws Fatal {
        try {
            // qmail chdirs to QMAILHOME first and dies if it cannot.
            Files.readAttributes(home, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new Fatal(FATAL + "unable to chdir to " + home + ": " + Errors.str(e));
        }
        Path tmp = home.resolve(TMP);
        InputStream in;
        try {
            in = Files.newInputStream(home.resolve(MRH));
        } catch (IOException e) {
            throw readError(e);
        }
        try (in) {
            CdbMake cdb = startTmp(tmp);
            addLines(new SubstdioIn(in, 1024), cdb);
            try {
                cdb.finish();
            } catch (IOException | RuntimeException e) {
                throw writeError(e);
            }
        } catch (IOException e) {
            throw readError(e);
        }
        try {
            Files.move(tmp, home.resolve(CDB), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new Fatal(FATAL + "unable to move " + TMP + " to " + CDB + Errors.str(e));
        }
    }

    /**
     * Starts the cdb in {@code morercpthosts.tmp}. CdbMake is told that its target is the
     * temporary file itself, so its finish() renames nothing and we can report a failed
     * rename with qmail's own text.
     */
    private static CdbMake startTmp(Path tmp) throws Fatal {
        try {
            boolean existed = Files.exists(tmp, LinkOption.NOFOLLOW_LINKS);
            CdbMake cdb = new CdbMake(tmp, tmp);
            if (!existed) {
                // open_trunc with qmail's umask 033, whatever umask we inherited.
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            return cdb;
        } catch (IOException e) {
            throw writeError(e);
        }
    }

    private static void addLines(SubstdioIn ss, CdbMake cdb) throws Fatal, IOException {
        ByteBuf line = new ByteBuf(256, Control.LINE_MAX);
        for (;;) {
            line.clear();
            SubstdioIn.Line r = ss.getline(line, (byte) '\n', Control.LINE_MAX);
            if (r == SubstdioIn.Line.EOF) {
                return;
            }
            if (r == SubstdioIn.Line.TOO_LONG) {
                throw new Fatal(FATAL + "unable to read " + MRH + ": " + Errors.str(Errors.ENOMEM));
            }
            byte[] key = key(line.toByteArray());
            if (key != null) {
                try {
                    cdb.add(key, new byte[0]);
                } catch (IOException | RuntimeException e) {
                    throw writeError(e);
                }
            }
            if (r == SubstdioIn.Line.PARTIAL) {
                return;
            }
        }
    }

    /** The key for one line (without its LF), or null if the line adds nothing. */
    static byte[] key(byte[] line) {
        byte[] s = Bytes.lower(line);
        int n = s.length;
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t')) {
            n--;
        }
        if (n == 0 || s[0] == '#') {
            return null;
        }
        return Bytes.sub(s, 0, n);
    }

    private static Fatal readError(IOException e) {
        return new Fatal(FATAL + "unable to read " + MRH + ": " + Errors.str(e));
    }

    private static Fatal writeError(Exception e) {
        return new Fatal(FATAL + "unable to write to " + TMP + ": " + Errors.str(e));
    }
}
