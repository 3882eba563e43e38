package org.jqmail.pop3d;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;
import org.jqmail.io.TlsStreams;

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
 * <p>With TLS settings ({@link #tls}, doc/POP3.md §6): CAPA, STLS (RFC 2595) and implicit
 * TLS; then the subprogram gets the session in clear text through {@link Subprogram#run(byte[],
 * TlsStreams)}, and TLS stays in this process.
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
    static final String CAPA = "+OK capability list follows\r\n";
    static final String STLS = "+OK begin TLS negotiation\r\n";
    static final String NOTLS = "TLS not available";
    static final String INTLS = "already in TLS";
    static final String TLSFIRST = "TLS required: use STLS first";
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

        /**
         * As {@link #run(byte[])}, in a TLS session: the subprogram gets the client's bytes in
         * clear text from this process, which keeps the TLS connection (doc/POP3.md §6).
         */
        default Outcome run(byte[] fd3, TlsStreams tls) throws Trouble {
            return run(fd3);
        }
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

    private final InputStream rawIn;
    private final OutputStream rawOut;
    private SubstdioIn in;
    private SubstdioOut out;
    private PopTls settings;
    /** The TLS connection, or null in clear text. */
    private TlsStreams tls;
    private final byte[] hostname;
    private final byte[] unique;
    private final Subprogram sub;
    private byte[] username;

    /**
     * @param unique {@code PID.TIME@}, the timestamp's first part
     */
    public Popup(InputStream in, OutputStream out, byte[] hostname, byte[] unique, Subprogram sub) {
        this.rawIn = in;
        this.rawOut = out;
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

    /** TLS settings (null: none, qmail's qmail-popup). */
    Popup tls(PopTls t) {
        this.settings = t;
        return this;
    }

    /** The greeting, then commands until qmail-popup would exit. */
    public void run() throws IOException {
        try {
            if (settings != null && settings.implicit && !startTls()) {
                return;
            }
            session();
        } finally {
            if (tls != null) {
                tls.close();
            }
        }
    }

    /** POP3S: the handshake before the greeting; false when it cannot be had. */
    private boolean startTls() throws IOException {
        javax.net.ssl.SSLEngine e;
        try {
            e = settings.engine();
        } catch (IOException | RuntimeException x) {
            return false;
        }
        return handshake(e);
    }

    /**
     * Switches the connection to TLS on {@code e} and runs the handshake; false when it fails.
     * Bytes read ahead in clear text are dropped with the old buffer: a command sent before
     * the handshake is never run inside TLS.
     */
    private boolean handshake(javax.net.ssl.SSLEngine e) throws IOException {
        TlsStreams t = new TlsStreams(e, rawIn, rawOut);
        try {
            t.handshake();
        } catch (IOException x) {
            return false;
        }
        tls = t;
        in = new SubstdioIn(t.in, BUF);
        out = new SubstdioOut(t.out, BUF);
        return true;
    }

    private void session() throws IOException {
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
        boolean clearRefused = settings != null && settings.required && tls == null;
        if (settings != null && settings.exists && c.is("capa")) {
            out.puts(CAPA).puts("TOP\r\nUIDL\r\n");
            if (!clearRefused) {
                out.puts("USER\r\n");
            }
            if (tls == null) {
                out.puts("STLS\r\n");
            }
            out.puts(".\r\n").flush();
        } else if (settings != null && settings.exists && c.is("stls")) {
            return stls();
        } else if (clearRefused && (c.is("user") || c.is("pass"))) {
            err(TLSFIRST);
        } else if (c.is("user")) {
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

    /** STLS (RFC 2595 §4): false when the session is over (a failed handshake). */
    private boolean stls() throws IOException {
        if (tls != null) {
            err(INTLS);
            return true;
        }
        javax.net.ssl.SSLEngine e;
        try {
            e = settings.engine();
        } catch (IOException | RuntimeException x) {
            err(NOTLS);
            return true;
        }
        out.puts(STLS).flush();
        if (!handshake(e)) {
            return false;
        }
        // The session starts over: a USER given in clear text is forgotten.
        username = null;
        return true;
    }

    /** {@code doanddie()}: the subprogram with the login on fd 3, then the end. */
    private void login(byte[] user, byte[] pass) throws IOException {
        byte[] data = fd3(user, pass, unique, hostname);
        Arrays.fill(pass, (byte) 0);
        Subprogram.Outcome o;
        try {
            o = tls == null ? sub.run(data) : sub.run(data, tls);
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
