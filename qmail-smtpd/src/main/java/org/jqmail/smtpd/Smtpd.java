package org.jqmail.smtpd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jqmail.control.Control;
import org.jqmail.control.Qmail;
import org.jqmail.control.Received;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Fmt;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;

/**
 * One SMTP session of qmail-smtpd ({@code qmail-smtpd.c}, {@code commands.c}, qmail-smtpd(8)), the
 * same code under tcpserver and in the listener.
 *
 * <p>Synopsis: {@code new Smtpd(home, env, conn, qmail, clock).run()} returns the exit status
 * qmail-smtpd would have: 0 after QUIT, 1 otherwise. {@code env} is the session's whole
 * environment (tcpserver's variables and the access rules' settings).
 *
 * <p>Replies are qmail-smtpd's (notqmail's texts), buffered in 512 bytes and flushed before
 * every read from the client and after every command except MAIL, RCPT and RSET, which is
 * what makes PIPELINING work as in qmail.
 *
 * <p>Bounds (qmail has none and relies on softlimit): a command line longer than
 * {@link #LINE_MAX} bytes, or recipients adding up to more than {@link #RCPT_MAX} bytes, is
 * answered {@code 421 out of memory (#4.3.0)} and ends the session, which is what qmail-smtpd
 * does when its memory runs out. Below the bounds the behaviour is qmail's.
 *
 * <p>See also: qmail-smtpd(8), RFC 5321, {@link Blast}, {@link Addr}, {@link org.jqmail.control.RcptHosts}.
 */
public final class Smtpd {
    /**
     * Read size. qmail-smtpd reads 1024 bytes at a time; a larger buffer changes nothing but
     * the number of reads (one reply flush still comes before each): a 100 KB message took
     * about 110 reads, now a handful.
     */
    static final int READ_BUF = 64 * 1024;
    /** Longest command line, LF excluded (CR included). */
    static final int LINE_MAX = 64 * 1024;
    /** Bound on the recipient records ({@code T}addr{@code \0}) of one transaction. */
    static final int RCPT_MAX = 1024 * 1024;
    static final int MAXHOPS = 100;

    static final String TIMEOUT = "451 timeout (#4.4.2)\r\n";
    static final String NOMEM = "421 out of memory (#4.3.0)\r\n";
    static final String CONTROL = "421 unable to read controls (#4.3.0)\r\n";
    static final String IPME = "421 unable to figure out my IP addresses (#4.3.0)\r\n";
    static final String STRAY = "451 See https://cr.yp.to/docs/smtplf.html.\r\n";
    static final String BMF = "553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)\r\n";
    static final String NOGATEWAY = "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n";
    static final String UNIMPL = "502 unimplemented (#5.5.1)\r\n";
    static final String SYNTAX = "555 syntax error (#5.5.4)\r\n";
    static final String WANTMAIL = "503 MAIL first (#5.5.1)\r\n";
    static final String WANTRCPT = "503 RCPT first (#5.5.1)\r\n";
    static final String OK = "250 ok\r\n";
    static final String VRFY = "252 send some mail, i'll try my best\r\n";
    static final String QQT = "451 qqt failure (#4.3.0)\r\n";
    static final String HELP = "214 notqmail home page: https://notqmail.org\r\n";
    static final String FLUSHED = "250 flushed\r\n";
    static final String GO_AHEAD = "354 go ahead\r\n";
    static final String HOPS = "554 too many hops, this message is looping (#5.4.6)\r\n";
    static final String DATABYTES = "552 sorry, that message size exceeds my databytes limit (#5.3.4)\r\n";

    private final Path home;
    private final ControlCache controls;
    private final Map<String, String> env;
    private final Conn conn;
    private final SmtpAuth auth;
    private final Conn.Safe io;
    private final Queue qmail;
    private final LongSupplier clock;
    private final SubstdioOut out;
    private final SubstdioIn in;
    private final Ipme ipme = new Ipme();

    private Settings cfg;
    private byte[] helohost;
    private byte[] fakehelo;
    private boolean seenmail;
    private boolean flagbarf;
    private byte[] mailfrom;
    private final ByteBuf rcptto = new ByteBuf(256, RCPT_MAX);
    private Qmail txn;
    /** The session runs over TLS (STARTTLS done, or SMTPS). */
    private boolean tls;

    /** {@code clock} gives the current time in seconds since the epoch. */
    Smtpd(Path home, Map<String, String> env, Conn conn, Queue qmail, LongSupplier clock) {
        this(home, null, env, conn, qmail, clock);
    }

    /**
     * As above, reading the control files through {@code controls} (the listener's cache of
     * {@code home}'s control directory; null: straight from the files).
     */
    public Smtpd(Path home, ControlCache controls, Map<String, String> env, Conn conn, Queue qmail, LongSupplier clock) {
        this(home, controls, env, List.of(), conn, qmail, clock);
    }

    /** As above, with qmail-smtpd's arguments after its name ({@code HOST CHECKPASSWORD SUBPROGRAM}: AUTH). */
    public Smtpd(Path home, ControlCache controls, Map<String, String> env, List<String> args, Conn conn, Queue qmail,
                 LongSupplier clock) {
        this.home = home;
        this.auth = new SmtpAuth(args, env);
        this.controls = controls;
        this.env = env;
        this.qmail = qmail;
        this.clock = clock;
        this.conn = conn;
        this.io = conn.new Safe(this);
        this.out = new SubstdioOut(io.out, 512);
        this.in = new SubstdioIn(io.in, READ_BUF);
    }

    /** Runs the session to its end; returns qmail-smtpd's exit status. */
    public int run() {
        try {
            try {
                setup();
                if (cfg.smtps && !starttls()) {
                    return 1;
                }
                out.puts("220 ").put(cfg.greeting).puts(" ESMTP\r\n");
                commands();
                return 1;
            } catch (OutOfMemoryError | RuntimeException | LinkageError e) {
                // ByteBuf.Overflow (a bound reached) and any surprise: qmail-smtpd's only
                // answer for internal trouble, which makes the client retry later.
                throw die(NOMEM);
            }
        } catch (SessionExit e) {
            return e.code();
        } catch (IOException e) {
            return 1;
        } finally {
            if (txn != null) {
                txn.fail();
                txn.close();
            }
            if (cfg != null) {
                try {
                    cfg.rcpthosts.close();
                } catch (IOException e) {
                    // Read-only file: nothing was lost.
                }
            }
            io.close();
        }
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Writes a last reply and ends the session with status 1. */
    SessionExit die(String reply) {
        try {
            out.puts(reply);
            out.flush();
        } catch (IOException e) {
            // The client is gone; the exit status is the same.
        }
        return new SessionExit(1);
    }

    SessionExit dieAlarm() {
        return die(TIMEOUT);
    }

    private void setup() throws IOException {
        try {
            if (!Files.isDirectory(home)) {
                throw new IOException("no QMAILHOME");
            }
            cfg = Settings.load(controls != null ? controls.control() : Control.forHome(home), env);
        } catch (SessionExit e) {
            throw e;
        } catch (IOException e) {
            throw die(CONTROL);
        }
        io.timeout(cfg.timeout);
        dohelo(cfg.remotehost);
    }

    private void dohelo(byte[] arg) {
        helohost = arg;
        fakehelo = Bytes.equalsIgnoreCase(cfg.remotehost, helohost) ? null : helohost;
    }

    /** {@code commands()}: one line at a time, verb up to the first space, then the argument. */
    private void commands() throws IOException {
        ByteBuf line = new ByteBuf(256, LINE_MAX);
        for (;;) {
            nextLine(line);
            byte[] s = line.array();
            int len = line.length();
            int nul = line.indexOf(0, 0);
            if (nul >= 0 && nul < len) {
                len = nul;
            }
            int sp = 0;
            while (sp < len && s[sp] != ' ') {
                sp++;
            }
            int arg = sp;
            while (arg < len && s[arg] == ' ') {
                arg++;
            }
            dispatch(s, sp, arg, len);
        }
    }

    private static boolean verb(byte[] s, int n, String v) {
        if (n != v.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (Bytes.lower(s[i]) != v.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void dispatch(byte[] s, int vlen, int arg, int end) throws IOException {
        if (verb(s, vlen, "rcpt")) {
            rcpt(s, arg, end);
            return;
        }
        if (verb(s, vlen, "mail")) {
            mail(s, arg, end);
            return;
        }
        if (verb(s, vlen, "rset")) {
            seenmail = false;
            out.puts(FLUSHED);
            return;
        }
        if (verb(s, vlen, "data")) {
            data();
        } else if (verb(s, vlen, "quit")) {
            out.puts("221 ").put(cfg.greeting).puts("\r\n");
            out.flush();
            throw new SessionExit(0);
        } else if (verb(s, vlen, "helo")) {
            out.puts("250 ").put(cfg.greeting).puts("\r\n");
            seenmail = false;
            dohelo(Bytes.sub(s, arg, end));
        } else if (verb(s, vlen, "ehlo")) {
            out.puts("250-").put(cfg.greeting).puts("\r\n250-PIPELINING\r\n");
            if (tlsOffered()) {
                out.puts("250-STARTTLS\r\n");
            }
            if (auth.offered(tls)) {
                out.puts(SmtpAuth.EHLO);
            }
            out.puts("250 8BITMIME\r\n");
            seenmail = false;
            dohelo(Bytes.sub(s, arg, end));
        } else if (verb(s, vlen, "starttls") && tlsOffered()) {
            if (arg < end) {
                out.puts(ServerTls.NOPARAMS);
            } else if (cfg.servercert != null && starttls()) {
                seenmail = false;
                auth.user = null;
                dohelo(cfg.remotehost);
                return;
            } else {
                out.puts(ServerTls.UNAVAILABLE);
            }
        } else if (verb(s, vlen, "auth") && auth.configured()) {
            if (!auth.command(s, arg, end, tls, seenmail, out, () -> nextLine(new ByteBuf(256, LINE_MAX)))) {
                out.flush();
                throw new SessionExit(1);
            }
        } else if (verb(s, vlen, "help")) {
            out.puts(HELP);
        } else if (verb(s, vlen, "noop")) {
            out.puts(OK);
        } else if (verb(s, vlen, "vrfy")) {
            out.puts(VRFY);
        } else {
            out.puts(UNIMPL);
        }
        out.flush();
    }

    /** The next line into {@code line}, without its LF and a CR before it; ends the session at end of input. */
    private ByteBuf nextLine(ByteBuf line) throws IOException {
        line.clear();
        SubstdioIn.Line r = in.getline(line, (byte) '\n', LINE_MAX);
        if (r == SubstdioIn.Line.TOO_LONG) {
            throw die(NOMEM);
        }
        if (r != SubstdioIn.Line.LINE) {
            throw new SessionExit(1);
        }
        return line.length() > 0 && line.byteAt(line.length() - 1) == '\r' ? line.truncate(line.length() - 1) : line;
    }

    private boolean tlsOffered() {
        return !tls && (cfg.servercert != null || cfg.servercertUnreadable);
    }

    /** STARTTLS or SMTPS ({@link ServerTls#start}); false when the key file is unusable. */
    private boolean starttls() throws IOException {
        tls = ServerTls.start(cfg, in, out, conn);
        return tls;
    }

    private byte[] addrparse(byte[] s, int from, int to) throws IOException {
        try {
            return Addr.parse(s, from, to, cfg.liphost, ipme);
        } catch (IOException e) {
            throw die(IPME);
        }
    }

    private boolean bmfcheck(byte[] addr) {
        if (cfg.bmf == null) {
            return false;
        }
        if (cfg.bmf.contains(addr)) {
            return true;
        }
        int at = Bytes.lastIndexOf(addr, '@');
        return at >= 0 && cfg.bmf.contains(addr, at, addr.length - at);
    }

    private void mail(byte[] s, int from, int to) throws IOException {
        byte[] addr = addrparse(s, from, to);
        if (addr == null) {
            out.puts(SYNTAX);
            return;
        }
        if (auth.required()) {
            out.puts(SmtpAuth.REQUIRED);
            return;
        }
        flagbarf = bmfcheck(addr);
        seenmail = true;
        rcptto.clear();
        mailfrom = addr;
        out.puts(OK);
    }

    private void rcpt(byte[] s, int from, int to) throws IOException {
        if (!seenmail) {
            out.puts(WANTMAIL);
            return;
        }
        byte[] addr = addrparse(s, from, to);
        if (addr == null) {
            out.puts(SYNTAX);
            return;
        }
        if (flagbarf) {
            out.puts(BMF);
            return;
        }
        if (cfg.relayclient != null || auth.user != null) {
            addr = cfg.relayclient != null ? Bytes.concat(addr, cfg.relayclient) : addr;
        } else {
            boolean ok;
            try {
                ok = cfg.rcpthosts.allowed(addr);
            } catch (IOException e) {
                throw die(CONTROL);
            }
            if (!ok) {
                out.puts(NOGATEWAY);
                return;
            }
        }
        rcptto.append('T').append(addr).append(0);
        out.puts(OK);
    }

    private void data() throws IOException {
        if (!seenmail) {
            out.puts(WANTMAIL);
            return;
        }
        if (rcptto.isEmpty()) {
            out.puts(WANTRCPT);
            return;
        }
        seenmail = false;
        try {
            txn = qmail.open(env);
        } catch (IOException | RuntimeException | LinkageError e) {
            // Any failure to start the queue, native code that does not load included, is
            // qmail's failed qmail_open.
            out.puts(QQT);
            return;
        }
        out.puts(GO_AHEAD);
        byte[] rl = Received.line(ServerTls.protocol(tls, auth.user != null), cfg.local, cfg.remoteip, cfg.remotehost,
                auth.user != null ? auth.user : cfg.remoteinfo, fakehelo,
                clock.getAsLong());
        txn.put(rl, 0, rl.length);
        Blast blast = new Blast(txn, cfg.databytes);
        boolean hops = blast.run(in, () -> die(STRAY)) >= MAXHOPS;
        if (hops) {
            txn.fail();
        }
        txn.from(mailfrom);
        byte[] r = rcptto.array();
        for (int i = 0, n = rcptto.length(); i < n;) {
            int z = rcptto.indexOf(0, i);
            txn.to(Bytes.sub(r, i + 1, z));
            i = z + 1;
        }
        Qmail t = txn;
        txn = null;
        String qqx = t.close();
        if (qqx.isEmpty()) {
            out.puts("250 ok ").put(Fmt.ulong(clock.getAsLong())).puts(" qp ").put(Fmt.ulong(t.qp()))
                    .puts("\r\n");
        } else if (hops) {
            out.puts(HOPS);
        } else if (blast.overflowed(cfg.databytes)) {
            out.puts(DATABYTES);
        } else {
            out.puts(qqx.charAt(0) == 'D' ? "554 " : "451 ").put(Bytes.ascii(qqx.substring(1))).puts("\r\n");
        }
    }
}
