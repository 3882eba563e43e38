package org.jqmail.pop3d;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;

/**
 * qmail-popup's authorization state: the greeting with its APOP timestamp, then USER, PASS,
 * APOP, NOOP and QUIT; anything else is {@code -ERR authorization first}. A PASS after USER,
 * or an APOP, runs the subprogram (a checkpassword program) once with the login on its
 * descriptor 3 and ends the session when it ends, as qmail's {@code doanddie()}.
 *
 * <p>Synopsis: {@code new Popup(in, out, hostname, unique, subprogram).run()} returns when
 * qmail-popup would exit (always with status 1): after QUIT, at end of input, after the
 * subprogram ran, or after an overlong line ({@code -ERR out of memory}).
 *
 * <p>Descriptor 3 carries {@code USER\0PASSWORD\0<UNIQUE HOSTNAME>\0}, where UNIQUE is
 * {@code PID.TIME@}; for APOP the digest stands in the password's place. The password bytes
 * are zeroed once written.
 *
 * <p>See also: qmail-popup(8), qmail-popup.c, RFC 1939 §7, doc/POP3.md.
 */
public final class Popup {
    static final String OK = "+OK \r\n";
    static final String USAGE = "usage: popup hostname subprogram";
    static final String NOMEM = "out of memory";
    static final String PIPE = "unable to open pipe";
    static final String WRITE = "unable to write pipe";
    static final String FORK = "unable to fork";
    static final String CRASHED = "aack, child crashed";
    static final String BADAUTH = "authorization failed";
    static final String SYNTAX = "syntax error";
    static final String WANTUSER = "USER first";
    static final String AUTHFIRST = "authorization first";
    /** qmail-popup's buffers are 128 bytes; the input size matters (see {@link Subprogram}). */
    static final int BUF = 128;

    /** Runs the subprogram for one login. */
    public interface Subprogram {
        /** How the subprogram ended. */
        enum Outcome {
            /** Exit status 0: it served the session. */
            SUCCESS,
            /** A non-zero exit status. */
            FAILED,
            /** Killed by a signal. */
            CRASHED
        }

        /**
         * Starts the subprogram with the client on its fds 0 and 1 and {@code fd3} readable on
         * its descriptor 3, and waits for it. Note that any client input this process has
         * already read into its buffer is not seen by the subprogram (qmail-popup reads 128
         * bytes at a time, so neither is it there).
         *
         * @throws Trouble a failure qmail-popup reports with its text, then exits
         */
        Outcome run(byte[] fd3) throws Trouble;
    }

    /** A failure of {@link Subprogram#run}: qmail's text, or null to end without a reply. */
    public static final class Trouble extends Exception {
        private static final long serialVersionUID = 1L;
        private final String text;

        public Trouble(String text, Throwable cause) {
            super(text, cause);
            this.text = text;
        }

        String text() {
            return text;
        }
    }

    private final SubstdioIn in;
    private final SubstdioOut out;
    private final byte[] hostname;
    private final byte[] unique;
    private final Subprogram sub;
    private byte[] username;

    /**
     * @param unique {@code PID.TIME@}, the timestamp's first part
     */
    public Popup(InputStream in, OutputStream out, byte[] hostname, byte[] unique, Subprogram sub) {
        this.in = new SubstdioIn(in, BUF);
        this.out = new SubstdioOut(out, BUF);
        this.hostname = hostname.clone();
        this.unique = unique.clone();
        this.sub = sub;
    }

    /** {@code PID.TIME@} for the greeting. */
    public static byte[] unique(long pid, long time) {
        return Bytes.ascii(pid + "." + time + "@");
    }

    /** Writes {@code -ERR TEXT} and flushes. */
    static void err(SubstdioOut out, String text) throws IOException {
        out.puts("-ERR ").puts(text).puts("\r\n").flush();
    }

    private void err(String text) throws IOException {
        err(out, text);
    }

    /** The greeting, then commands until qmail-popup would exit. */
    public void run() throws IOException {
        out.puts("+OK <").put(unique).put(hostname).puts(">\r\n").flush();
        ByteBuf line = new ByteBuf(BUF, Commands.LINE_MAX);
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

    /** Runs one command; false when the session is over. */
    private boolean dispatch(Commands.Command c) throws IOException {
        byte[] arg = c.arg();
        if (c.is("user")) {
            if (arg.length == 0) {
                err(SYNTAX);
            } else {
                out.puts(OK).flush();
                username = arg;
            }
        } else if (c.is("pass")) {
            if (username == null) {
                err(WANTUSER);
            } else if (arg.length == 0) {
                err(SYNTAX);
            } else {
                login(username, arg);
                return false;
            }
        } else if (c.is("apop")) {
            int sp = Bytes.indexOf(arg, ' ');
            if (sp < 0) {
                err(SYNTAX);
            } else {
                // Split at the first space only: further spaces belong to the digest.
                login(Arrays.copyOf(arg, sp), Arrays.copyOfRange(arg, sp + 1, arg.length));
                return false;
            }
        } else if (c.is("quit")) {
            out.puts(OK).flush();
            return false;
        } else if (c.is("noop")) {
            out.puts(OK).flush();
        } else {
            err(AUTHFIRST);
        }
        return true;
    }

    /** {@code doanddie()}: the subprogram with the login on fd 3, then the end. */
    private void login(byte[] user, byte[] pass) throws IOException {
        byte[] data = fd3(user, pass, unique, hostname);
        Arrays.fill(pass, (byte) 0);
        Subprogram.Outcome o;
        try {
            o = sub.run(data);
        } catch (Trouble t) {
            if (t.text() != null) {
                err(t.text());
            }
            return;
        } finally {
            Arrays.fill(data, (byte) 0);
        }
        if (o == Subprogram.Outcome.CRASHED) {
            err(CRASHED);
        } else if (o == Subprogram.Outcome.FAILED) {
            err(BADAUTH);
        }
    }

    /** {@code USER\0PASS\0<UNIQUE HOSTNAME>\0}. */
    static byte[] fd3(byte[] user, byte[] pass, byte[] unique, byte[] hostname) {
        byte[][] parts = {user, {0}, pass, {0, '<'}, unique, hostname, {'>', 0}};
        int n = 0;
        for (byte[] p : parts) {
            n = Math.addExact(n, p.length);
        }
        byte[] b = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, b, at, p.length);
            at += p.length;
        }
        return b;
    }
}
