package org.jqmail.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import org.jqmail.control.TempFail;
import org.jqmail.io.Errors;

/**
 * Maildir delivery (maildir(5)), qmail-local's {@code maildir} and {@code maildir_child}: create
 * {@code tmp/NAME} exclusively, write Return-Path, Delivered-To and the message unchanged,
 * flush, fsync, close, link to {@code new/NAME}, unlink {@code tmp/NAME}.
 *
 * <p>NAME is {@code TIME.PID.HOST} ({@link Uniq}); on EEXIST it sleeps 2 s and tries again, at
 * most three times. The whole delivery has a 24-hour deadline, checked between writes (a single
 * system call that blocks longer is not cut short, where qmail's {@code alarm} would kill the
 * child); on expiry the tmp file is removed.
 *
 * <p>qmail runs this in a forked child and maps the child's exit code to a text; here the same
 * codes are computed in-process ({@link #write}) and mapped by {@link #deliver}: 2 →
 * {@code Unable to chdir to maildir.}, 3 → {@code Timeout on maildir delivery.}, 4 →
 * {@code Unable to read message.}, any other failure → {@code Temporary error on maildir
 * delivery.}, an unexpected exception → {@code Aack, child crashed.}; all exit 111. The file
 * mode is qmail's 0644 under umask 077, i.e. 0600, whatever this JVM's umask is.
 *
 * <p>See also: maildir(5), {@code qmail-local.c}.
 */
final class Maildir {
    /** The delivery deadline, {@code alarm(86400)}. */
    static final long TIMEOUT_SECONDS = 86400;
    static final int TRIES = 3;
    static final long EEXIST_SLEEP_MILLIS = 2000;
    /** Write size: a 100 KB message is two writes. */
    private static final int BUF = 64 * 1024;
    private static final FileAttribute<?> PERMS =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    static final int OK = 0;
    static final int TEMP = 1;
    static final int CHDIR = 2;
    static final int TIMEOUT = 3;
    static final int READ = 4;

    private final Sys sys;
    private final Uniq uniq;

    Maildir(Sys sys, Uniq uniq) {
        this.sys = sys;
        this.uniq = uniq;
    }

    /** Delivers to the Maildir {@code dir}; throws qmail's failure for any outcome but success. */
    void deliver(Path dir, Message msg, byte[] rpline, byte[] dtline) throws TempFail {
        InputStream in;
        try {
            in = msg.rewind();
        } catch (IOException e) {
            throw Trouble.rewind();
        }
        int code;
        try {
            code = write(dir, in, rpline, dtline);
        } catch (RuntimeException e) {
            throw Trouble.childCrashed();
        }
        switch (code) {
            case OK: return;
            case CHDIR: throw Trouble.maildirChdir();
            case TIMEOUT: throw Trouble.maildirTimeout();
            case READ: throw Trouble.maildirRead();
            default: throw Trouble.maildirTemp();
        }
    }

    /** The child's work; returns its exit code. */
    int write(Path dir, InputStream in, byte[] rpline, byte[] dtline) {
        int chdir = chdir(dir);
        if (chdir != OK) {
            return chdir;
        }
        long deadline = sys.now() + TIMEOUT_SECONDS;
        Path tmp = null;
        FileChannel out = null;
        for (int loop = 0; out == null; loop++) {
            String name = uniq.next(sys.now());
            tmp = dir.resolve("tmp").resolve(name);
            try {
                out = FileChannel.open(tmp, EnumSet.of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE), PERMS);
            } catch (IOException e) {
                if (Errors.errno(e) != Errors.EEXIST || loop == TRIES - 1) {
                    return TEMP;
                }
                try {
                    sys.sleep(EEXIST_SLEEP_MILLIS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return TEMP;
                }
            }
        }
        int code = fill(out, in, rpline, dtline, deadline);
        if (code == OK) {
            try {
                Files.createLink(dir.resolve("new").resolve(tmp.getFileName()), tmp);
            } catch (IOException e) {
                code = TEMP;
            }
        }
        unlink(tmp);
        return code;
    }

    /** {@code chdir(dir)}: OK, or 1 for a temporary error, 2 for any other. */
    private static int chdir(Path dir) {
        int mode;
        try {
            mode = Stat.mode(dir);
        } catch (IOException e) {
            return Errors.isTemporary(e) ? TEMP : CHDIR;
        }
        if (!Stat.isDir(mode) || !Files.isExecutable(dir)) {
            return CHDIR;
        }
        return OK;
    }

    /**
     * Writes, flushes, fsyncs and closes; closes {@code out} in every case. The two header
     * lines go out in the first block of the message (one write for a message that fits in
     * {@link #BUF}), the rest in blocks of {@link #BUF}.
     */
    private int fill(FileChannel out, InputStream in, byte[] rpline, byte[] dtline, long deadline) {
        try (FileChannel o = out) {
            byte[] b = new byte[BUF];
            int len = 0;
            if (rpline.length + dtline.length <= BUF / 2) {
                System.arraycopy(rpline, 0, b, 0, rpline.length);
                System.arraycopy(dtline, 0, b, rpline.length, dtline.length);
                len = rpline.length + dtline.length;
            } else {
                writeFully(o, rpline, rpline.length);
                writeFully(o, dtline, dtline.length);
            }
            for (;;) {
                if (sys.now() >= deadline) {
                    return TIMEOUT;
                }
                int n;
                try {
                    n = in.read(b, len, b.length - len);
                } catch (IOException e) {
                    return READ;
                }
                if (n < 0) {
                    break;
                }
                len += n;
                if (len == b.length) {
                    writeFully(o, b, len);
                    len = 0;
                }
            }
            if (len > 0) {
                writeFully(o, b, len);
            }
            o.force(true);
        } catch (IOException e) {
            return TEMP;
        }
        return sys.now() >= deadline ? TIMEOUT : OK;
    }

    private static void writeFully(FileChannel o, byte[] b, int n) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, 0, n);
        while (bb.hasRemaining()) {
            o.write(bb);
        }
    }

    /**
     * {@code tryunlinktmp}: unlink(2), its outcome ignored; a leftover in tmp/ is cleaned by
     * readers after 36 hours. {@code File.delete} is the plain system call ({@code Files.delete}
     * stats the file first).
     */
    private static void unlink(Path p) {
        p.toFile().delete();
    }
}
