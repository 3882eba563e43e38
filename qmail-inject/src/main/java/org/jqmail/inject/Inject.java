package org.jqmail.inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.ConstMap;
import org.jqmail.control.Failure;
import org.jqmail.control.PermFail;
import org.jqmail.control.Qmail;
import org.jqmail.control.Quote;
import org.jqmail.inject.Token822.Token;
import org.jqmail.io.Bytes;
import org.jqmail.io.Getopt;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;

/**
 * qmail-inject: prepares a message for the queue (qmail-inject(8)). It reads the message on stdin,
 * rewrites the header's addresses, adds Date, Message-ID and From where missing, works out the
 * envelope sender and recipients and queues the message, or prints it with {@code -n}.
 *
 * <p>Synopsis: {@code qmail-inject [-nNaAhH] [-f sender] [recip ...]}. {@link #run} returns
 * the exit code: 0 done; 100 bad usage, unparsable line or address, permanent qmail-queue
 * failure; 111 temporary trouble. Fatal texts go to stderr as {@link Trouble} lists them.
 *
 * <p>Reads {@code QMAILINJECT}, {@code QMAILUSER}, {@code QMAILHOST}, {@code QMAILNAME} and the
 * other variables of qmail-inject(8), and the control files of {@link Controls}. Queues through
 * {@link Qmail} (qmail-queued's socket, or {@code $QMAILQUEUE}).
 *
 * <p>See also: {@code qmail-inject.8}, {@code qmail-header.5}.
 */
final class Inject {
    static final String PROGNAME = "qmail-inject";
    /** Bound on one header field with its continuation lines. */
    static final int FIELD_MAX = 8 * 1024 * 1024;

    private enum Strategy { DEFAULT, ARGS, HEADER, ARGS_AND_HEADER }

    private final Env env;
    private final Path home;
    private final Qmail.Opener opener;
    private final InputStream stdin;
    private final OutputStream stdout;
    private final OutputStream stderr;
    final long now;
    final long pid;

    boolean flagNameComment;
    boolean flagDeleteSender;
    boolean flagDeleteFrom;
    boolean flagDeleteMessid;
    boolean flagHackRecip;
    boolean flagHackMess;
    /** The envelope sender once known (set by {@code -f} or Return-Path), else null. */
    byte[] sender;

    private Controls controls;
    private boolean flagqueue = true;
    private final List<byte[]> reciplist = new ArrayList<>();
    private Qmail qq;
    private SubstdioOut out;
    private boolean outFailed;

    Inject(Env env, Path home, Qmail.Opener opener, InputStream stdin, OutputStream stdout,
            OutputStream stderr, long now, long pid) {
        this.env = env;
        this.home = home;
        this.opener = opener;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.now = now;
        this.pid = pid;
    }

    /** Runs qmail-inject with {@code args} (argv without argv[0]) and returns its exit code. */
    int run(List<byte[]> args) {
        try {
            inject(args);
            return 0;
        } catch (Failure f) {
            try {
                stderr.write(f.text());
                stderr.flush();
            } catch (IOException e) {
                // Nowhere left to say it.
            }
            return f.exitCode();
        }
    }

    private void inject(List<byte[]> args) throws Failure {
        flags(env.get("QMAILINJECT"));
        Identity id = new Identity(env);
        controls = Controls.read(env, home);

        Strategy strategy = Strategy.DEFAULT;
        Getopt g = new Getopt(PROGNAME, args, "aAhHnNf:", stderr);
        int opt;
        while ((opt = g.next()) != Getopt.DONE) {
            switch (opt) {
                case 'a': strategy = Strategy.ARGS; break;
                case 'A': strategy = Strategy.DEFAULT; break;
                case 'h': strategy = Strategy.HEADER; break;
                case 'H': strategy = Strategy.ARGS_AND_HEADER; break;
                case 'n': flagqueue = false; break;
                case 'N': flagqueue = true; break;
                case 'f': sender = envelopeSender(g.arg()); break;
                default: throw Trouble.usage();
            }
        }
        List<byte[]> operands = g.operands();
        if (strategy == Strategy.DEFAULT) {
            strategy = operands.isEmpty() ? Strategy.HEADER : Strategy.ARGS;
        }
        if (strategy != Strategy.HEADER) {
            for (byte[] r : operands) {
                recipient(r);
            }
        }
        boolean flagrh = strategy != Strategy.ARGS;

        Header h = new Header(this, id);
        try {
            new HeaderBody(new SubstdioIn(stdin, 8192), h, FIELD_MAX).run();
        } catch (IOException e) {
            throw Trouble.read();
        } catch (HeaderBody.TooLong e) {
            throw Trouble.nomem();
        }
        finish(h, flagrh);
    }

    private void flags(byte[] qmopts) {
        if (qmopts == null) {
            return;
        }
        for (byte c : qmopts) {
            switch (c) {
                case 'c': flagNameComment = true; break;
                case 's': flagDeleteSender = true; break;
                case 'f': flagDeleteFrom = true; break;
                case 'i': flagDeleteMessid = true; break;
                case 'r': flagHackRecip = true; break;
                case 'm': flagHackMess = true; break;
                default: break;
            }
        }
    }

    /** {@code -f}: quote2'd, parsed and rewritten like any address. */
    private byte[] envelopeSender(byte[] arg) throws PermFail {
        byte[] q = Quote.quote2(arg);
        List<Token> t = Token822.parse(q);
        if (t == null) {
            throw Trouble.parseLine(q);
        }
        return Token822.unquote(rewrite().single(t));
    }

    /** {@code dorecip}: a recipient argument. */
    private void recipient(byte[] arg) throws PermFail {
        List<Token> t = Token822.parse(Quote.quote2(arg));
        if (t == null) {
            throw Trouble.parseAddress(cString(arg));
        }
        reciplist.add(Token822.unquote(rewrite().single(t)));
    }

    Rewrite rewrite() {
        return controls.rewrite;
    }

    byte[] idhost() {
        return controls.idhost;
    }

    ConstMap mft() {
        return controls.mft;
    }

    /** Called when the header is complete: prints Return-Path with -n, else opens the queue. */
    void startOutput() throws Failure {
        if (!flagqueue) {
            out = new SubstdioOut(stdout, 8192);
            put(Bytes.concat(Bytes.ascii("Return-Path: <"), Quote.quote2(sender), Bytes.ascii(">\n")));
            return;
        }
        try {
            qq = opener.open();
        } catch (IOException | RuntimeException e) {
            throw Trouble.qqt();
        }
    }

    void put(byte[] b) {
        put(b, 0, b.length);
    }

    void put(byte[] b, int off, int n) {
        if (flagqueue) {
            qq.put(b, off, n);
        } else if (!outFailed) {
            try {
                out.put(b, off, n);
            } catch (IOException e) {
                // qmail-inject does not check its output with -n.
                outFailed = true;
            }
        }
    }

    /** {@code exitnicely}: the envelope, then qmail-queue's verdict. */
    private void finish(Header h, boolean flagrh) throws Failure {
        if (!flagqueue) {
            if (!outFailed) {
                try {
                    out.flush();
                } catch (IOException e) {
                    // As above.
                }
            }
            return;
        }
        qq.from(cString(sender));
        for (byte[] r : reciplist) {
            qq.to(cString(r));
        }
        if (flagrh) {
            for (byte[] r : h.resent ? h.hrrlist : h.hrlist) {
                qq.to(cString(r));
            }
        }
        String status = qq.close();
        if (!status.isEmpty()) {
            throw Trouble.qq(status);
        }
    }

    /** An address as the C string qmail passes on: it ends at its first NUL. */
    private static byte[] cString(byte[] s) {
        int nul = Bytes.indexOf(s, 0);
        return nul < 0 ? s : Bytes.sub(s, 0, nul);
    }
}
