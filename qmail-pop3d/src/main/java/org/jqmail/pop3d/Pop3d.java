package org.jqmail.pop3d;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import org.jqmail.control.Maildir;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Scan;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;

/**
 * qmail-pop3d's transaction state: {@code +OK} once the Maildir is scanned, then STAT, LIST,
 * UIDL, RETR, TOP, DELE, RSET, LAST, NOOP and QUIT with qmail's exact replies; anything else
 * is {@code -ERR unimplemented}. Replies are buffered and flushed where qmail-pop3d flushes:
 * after each reply line or listing, and at the end of each message sent.
 *
 * <p>Synopsis: {@code new Pop3d(in, out, mailbox).run()} returns when the session is over:
 * after QUIT, at end of input, or when the client's line exceeds {@link Commands#LINE_MAX}
 * ({@code -ERR out of memory} first). An {@link IOException} from either stream means the
 * same as in qmail, where a failed read or write ends the process ({@code die()}).
 *
 * <p>Message numbers are read as {@code scan_ulong} reads them (leading digits, modulo
 * 2<sup>64</sup>), so {@code RETR 1x} is message 1 and a 21-digit number wraps as in C.
 *
 * <p>See also: qmail-pop3d(8), qmail-pop3d.c, RFC 1939, doc/POP3.md.
 */
public final class Pop3d {
    static final String OK = "+OK \r\n";
    static final String NOMEM = "out of memory";
    static final String SYNTAX = "syntax error";
    static final String UNIMPL = "unimplemented";
    static final String DELETED = "already deleted";
    static final String NOZERO = "messages are counted from 1";
    static final String TOOBIG = "not that many messages";
    static final String NOSUCH = "unable to open that message";
    static final String NOUNLINK = "unable to unlink all deleted messages";
    static final String NOMAILDIR = "this user has no $HOME/Maildir";
    static final String SCAN = "unable to scan $HOME/Maildir";
    /** qmail-pop3d's output buffer is 1024 bytes; a larger one only means fewer writes. */
    static final int OUT_BUF = 8192;
    /** qmail-pop3d's input buffer. */
    static final int IN_BUF = 128;

    private final SubstdioIn in;
    private final SubstdioOut out;
    private final Mailbox box;
    private int last;

    Pop3d(SubstdioIn in, SubstdioOut out, Mailbox box) {
        this.in = in;
        this.out = out;
        this.box = box;
    }

    /**
     * A whole session on {@code in}/{@code out} over the Maildir {@code maildir} scanned at
     * {@code now}, as qmail-pop3d runs it after its uid check: the fuzz entry point for the
     * client's bytes. Returns when the session ends; stream errors propagate.
     */
    public static void serve(InputStream in, OutputStream out, Path maildir, long now) throws IOException {
        SubstdioOut o = new SubstdioOut(out, OUT_BUF);
        Mailbox box;
        try {
            box = Mailbox.open(maildir, now);
        } catch (Maildir.ScanException e) {
            err(o, SCAN);
            return;
        }
        new Pop3d(new SubstdioIn(in, IN_BUF), o, box).run();
    }

    static void err(SubstdioOut out, String text) throws IOException {
        out.puts("-ERR ").puts(text).puts("\r\n").flush();
    }

    private void err(String text) throws IOException {
        err(out, text);
    }

    private void okay() throws IOException {
        out.puts(OK).flush();
    }

    /** {@code +OK}, then commands until the session ends. */
    void run() throws IOException {
        okay();
        ByteBuf line = new ByteBuf(IN_BUF, Commands.LINE_MAX);
        for (;;) {
            Commands.Command c;
            try {
                c = Commands.read(in, line);
            } catch (Commands.TooLong e) {
                err(NOMEM);
                return;
            }
            if (c == null || !dispatch(c)) {
                return;
            }
        }
    }

    /** Runs one command; false after QUIT. */
    private boolean dispatch(Commands.Command c) throws IOException {
        byte[] arg = c.arg();
        if (c.is("quit")) {
            quit();
            return false;
        } else if (c.is("stat")) {
            stat();
        } else if (c.is("list")) {
            listing(arg, false);
        } else if (c.is("uidl")) {
            listing(arg, true);
        } else if (c.is("dele")) {
            dele(arg);
        } else if (c.is("retr") || c.is("top")) {
            top(arg);
        } else if (c.is("rset")) {
            box.undeleteAll();
            last = 0;
            okay();
        } else if (c.is("last")) {
            out.puts("+OK ").puts(Integer.toString(last)).puts("\r\n").flush();
        } else if (c.is("noop")) {
            okay();
        } else {
            err(UNIMPL);
        }
        return true;
    }

    private void quit() throws IOException {
        int failed = box.quit();
        for (int i = 0; i < failed; i++) {
            err(NOUNLINK);
        }
        okay();
    }

    private void stat() throws IOException {
        long total = 0;
        for (int i = 0; i < box.count(); i++) {
            if (!box.deleted(i)) {
                total += box.size(i);
            }
        }
        // The count includes deleted messages, the total does not (qmail-pop3d.c).
        out.puts("+OK ").puts(Integer.toString(box.count())).puts(" ")
                .puts(Long.toUnsignedString(total)).puts("\r\n").flush();
    }

    /** {@code msgno()}: the 0-based message index, or -1 after answering the error. */
    private int msgno(byte[] arg) throws IOException {
        long[] u = new long[1];
        if (Scan.ulong(arg, 0, arg.length, u) == 0) {
            err(SYNTAX);
            return -1;
        }
        if (u[0] == 0) {
            err(NOZERO);
            return -1;
        }
        long i = u[0] - 1;
        if (Long.compareUnsigned(i, box.count()) >= 0 || Long.compareUnsigned(i, Integer.MAX_VALUE) >= 0) {
            err(TOOBIG);
            return -1;
        }
        if (box.deleted((int) i)) {
            err(DELETED);
            return -1;
        }
        return (int) i;
    }

    private void dele(byte[] arg) throws IOException {
        int i = msgno(arg);
        if (i < 0) {
            return;
        }
        box.delete(i);
        if (i + 1 > last) {
            last = i + 1;
        }
        okay();
    }

    private void list(int i, boolean uidl) throws IOException {
        out.puts(Integer.toString(i + 1)).puts(" ");
        if (uidl) {
            String fn = box.name(i).substring(4);
            int colon = fn.indexOf(':');
            out.put(Bytes.ascii(colon < 0 ? fn : fn.substring(0, colon)));
        } else {
            out.puts(Long.toUnsignedString(box.size(i)));
        }
        out.puts("\r\n");
    }

    private void listing(byte[] arg, boolean uidl) throws IOException {
        if (arg.length > 0) {
            int i = msgno(arg);
            if (i < 0) {
                return;
            }
            out.puts("+OK ");
            list(i, uidl);
        } else {
            okay();
            for (int i = 0; i < box.count(); i++) {
                if (!box.deleted(i)) {
                    list(i, uidl);
                }
            }
            out.puts(".\r\n");
        }
        out.flush();
    }

    /** RETR n and TOP n k (RETR n k is TOP n k, as in qmail). */
    private void top(byte[] arg) throws IOException {
        int i = msgno(arg);
        if (i < 0) {
            return;
        }
        long[] v = new long[1];
        int p = Scan.ulong(arg, 0, arg.length, v);
        while (p < arg.length && arg[p] == ' ') {
            p++;
        }
        long limit = Scan.ulong(arg, p, arg.length, v) > 0 ? v[0] + 1 : 0;
        InputStream msg;
        try {
            msg = box.open(i);
        } catch (IOException e) {
            err(NOSUCH);
            return;
        }
        try (msg) {
            okay();
            Blast.blast(msg, out, limit);
        }
    }
}
