package org.jqmail.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jqmail.control.Auto;
import org.jqmail.control.Failure;
import org.jqmail.control.PermFail;
import org.jqmail.control.Qmail;
import org.jqmail.control.TempFail;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;
import org.jqmail.io.SubstdioIn;

/**
 * One qmail-local run (qmail-local(8)): home checks, environment, loop check, {@code .qmail}
 * lookup, NEWSENDER, then every instruction in order, forwards last, and {@code did F+W+P}. The
 * same code serves the standalone program and each request of a warm worker: the message, the
 * inherited environment and the output sink are parameters, and nothing is kept between runs
 * except what {@link Services} holds for the whole process.
 *
 * <p>Exit codes: 0 delivered, 100 permanent failure, 111 temporary failure; nothing else.
 * Failure texts go to fd 2 ({@link Output#err}), the {@code -n} listing and the final
 * {@code did} line to fd 1. An unexpected Java exception is a temporary failure with
 * {@link Trouble#internal}'s text.
 *
 * <p>The JVM cannot {@code chdir}: the home directory is checked as chdir would check it, and
 * every relative path ({@code .qmail} files, {@code ./Maildir/}) is resolved against it;
 * programs start in it.
 *
 * <p>See also: qmail-local(8), dot-qmail(5), qmail-command(8), {@code qmail-local.c}.
 */
final class Delivery {
    static final int EXIT_OK = 0;
    static final int EXIT_PERM = 100;
    static final int EXIT_TEMP = 111;
    private static final int STICKY = 01000;
    private static final byte[] NL = {'\n'};

    /**
     * What a whole process shares between its deliveries: the clock and host facts, the Maildir
     * name source, the queue, and the directory for program-input files.
     */
    record Services(Sys sys, Uniq uniq, Qmail.Opener queue, Path tmpdir) {
    }

    private final Services svc;

    Delivery(Services svc) {
        this.svc = svc;
    }

    /** Runs with qmail-local's argv (options included); returns the exit code. */
    int run(List<byte[]> argv, Message msg, Map<String, String> environment, Output out) {
        try {
            return run(Args.parse(argv, out), msg, environment, out);
        } catch (PermFail f) {
            return fail(f, out);
        }
    }

    /**
     * Runs one delivery; returns 0, 100 or 111. {@code environment} is what programs inherit
     * (null: this JVM's environment).
     */
    int run(Args a, Message msg, Map<String, String> environment, Output out) {
        try {
            deliver(a, msg, environment, out);
            return EXIT_OK;
        } catch (Failure f) {
            return fail(f, out);
        } catch (RuntimeException e) {
            return fail(Trouble.internal(), out);
        }
    }

    private static int fail(Failure f, Output out) {
        byte[] t = f.text();
        if (t.length > 0) {
            out.err(Bytes.concat(t, NL));
        }
        return f.exitCode();
    }

    private void deliver(Args a, Message msg, Map<String, String> environment, Output out)
            throws Failure {
        Path home = home(a, out);
        Env env = Env.of(a, svc.sys().now());
        if (a.doit()) {
            bouncexf(msg, env.dtline());
        }
        DotQmail dq = new DotQmail(home, a.dash(), env.safeext());
        DotQmail.Found f = dq.search(a.ext());
        byte[] cmds;
        boolean forwardOnly;
        try {
            if (f == null && a.dash().length > 0) {
                throw Trouble.noMailbox();
            }
            if (f != null && f.defaultValue() != null) {
                env.put("DEFAULT", f.defaultValue());
            }
            env.put("NEWSENDER", dq.newsender(a.sender(), a.local(), a.host()));
            cmds = f == null ? new byte[0] : DotQmail.read(f);
            forwardOnly = f != null && f.forwardOnly();
        } finally {
            if (f != null) {
                close(f);
            }
        }
        if (cmds.length == 0) {
            cmds = a.aliasempty();
            forwardOnly = false;
        }
        if (cmds.length == 0 || cmds[cmds.length - 1] != '\n') {
            cmds = Bytes.concat(cmds, NL);
        }
        new Run(a, home, env, msg, environment, out, forwardOnly).execute(Instructions.parse(cmds));
    }

    /** {@code chdir(homedir)} and {@code checkhome()}. */
    private static Path home(Args a, Output out) throws TempFail {
        Path home = Jnu.path(a.homedir());
        int mode;
        try {
            mode = Stat.mode(home);
            if (!Stat.isDir(mode)) {
                throw new Errors.ErrnoException("chdir", Errors.ENOTDIR);
            }
            if (!Files.isExecutable(home)) {
                throw new Errors.ErrnoException("chdir", Errors.EACCES);
            }
        } catch (IOException e) {
            throw Trouble.switchHome(a.homedir(), e);
        }
        if ((mode & Auto.PATRN) != 0) {
            throw Trouble.homeWritable();
        }
        if ((mode & STICKY) != 0) {
            if (a.doit()) {
                throw Trouble.homeSticky();
            }
            out.err(Bytes.concat(Trouble.STICKY_WARNING, NL));
        }
        return home;
    }

    /**
     * {@code bouncexf}: fails if a header line (up to the first empty line) equals DTLINE.
     * Reads from where the message stands, in constant memory.
     */
    static void bouncexf(Message msg, byte[] dtline) throws Failure {
        try (InputStream in = msg.current()) {
            SubstdioIn ss = new SubstdioIn(in, 1024);
            int want = dtline.length - 1;
            ByteBuf line = new ByteBuf(want + 1);
            for (;;) {
                line.clear();
                SubstdioIn.Line r = ss.getline(line, (byte) '\n', want);
                if (r == SubstdioIn.Line.TOO_LONG) {
                    if (!ss.skipLine((byte) '\n')) {
                        return;
                    }
                    continue;
                }
                if (r != SubstdioIn.Line.LINE || line.length() == 0) {
                    return;
                }
                if (line.length() == want && line.contentEquals(Bytes.sub(dtline, 0, want))) {
                    throw Trouble.looping();
                }
            }
        } catch (IOException e) {
            throw Trouble.read(e);
        }
    }

    private static void close(DotQmail.Found f) {
        try {
            f.ch().close();
        } catch (IOException e) {
            // Read-only.
        }
    }

    /** The instruction loop of one delivery, with its counters. */
    private final class Run {
        private final Args a;
        private final Path home;
        private final Env env;
        private final Message msg;
        private final Map<String, String> environment;
        private final Output out;
        private boolean forwardOnly;
        private long files;
        private long forwards;
        private long programs;
        private final List<byte[]> recips = new ArrayList<>();

        Run(Args a, Path home, Env env, Message msg, Map<String, String> environment, Output out,
                boolean forwardOnly) {
            this.a = a;
            this.home = home;
            this.env = env;
            this.msg = msg;
            this.environment = environment;
            this.out = out;
            this.forwardOnly = forwardOnly;
        }

        void execute(List<Instructions.Line> lines) throws Failure {
            for (Instructions.Line l : lines) {
                if (one(l)) {
                    break;
                }
            }
            long qp = 0;
            if (!recips.isEmpty() && a.doit()) {
                qp = Forward.send(svc.queue(), msg, env.dtline(), env.vars().get("NEWSENDER"), recips);
            }
            StringBuilder did = new StringBuilder(64).append("did ").append(files).append('+')
                    .append(forwards).append('+').append(programs).append('\n');
            if (qp != 0) {
                did.append("qp ").append(qp).append('\n');
            }
            out.out(Bytes.ascii(did.toString()));
        }

        /** Processes one line; true if a program exited 99. */
        private boolean one(Instructions.Line l) throws Failure {
            switch (l.kind()) {
                case BLANK:
                    if (l.first()) {
                        throw Trouble.firstLineBlank();
                    }
                    return false;
                case LIST:
                    forwardOnly = true;
                    return false;
                case MAILDIR:
                case MBOX:
                    files++;
                    if (forwardOnly) {
                        throw Trouble.fileButX();
                    }
                    file(l);
                    return false;
                case PROGRAM:
                    programs++;
                    if (forwardOnly) {
                        throw Trouble.progButX();
                    }
                    if (!a.doit()) {
                        say("program ", l.shown());
                        return false;
                    }
                    return new Program(svc.sys(), svc.tmpdir(), environment)
                            .run(l.arg(), home, env.vars(), msg, out);
                case FORWARD:
                    forwards++;
                    if (a.doit()) {
                        recips.add(l.arg());
                    } else {
                        say("forward ", l.shown());
                    }
                    return false;
                default:
                    return false;
            }
        }

        private void file(Instructions.Line l) throws TempFail {
            boolean maildir = l.kind() == Instructions.Kind.MAILDIR;
            if (!a.doit()) {
                say(maildir ? "maildir " : "mbox ", l.shown());
            } else if (maildir) {
                new Maildir(svc.sys(), svc.uniq()).deliver(Jnu.path(home, l.arg()), msg, env.rpline(),
                        env.dtline());
            } else {
                new Mbox(svc.sys()).deliver(l.arg(), Jnu.path(home, l.arg()), msg, env.ufline(),
                        env.rpline(), env.dtline());
            }
        }

        private void say(String type, byte[] text) {
            out.out(Bytes.concat(Bytes.ascii(type), text, NL));
        }
    }
}
