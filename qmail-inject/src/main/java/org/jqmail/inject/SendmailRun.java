package org.jqmail.inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.control.QueueClient;
import org.jqmail.io.Bytes;

/**
 * The sendmail wrapper ({@code sendmail.c}, qmail's sendmail.c): carries out a
 * {@link SendmailOptions} plan.
 *
 * <p>qmail's wrapper execs {@code bin/qmail-inject}, {@code bin/qmail-smtpd} or
 * {@code bin/qmail-qread}. A JVM cannot replace itself, and a second JVM would double the cost
 * of every cron mail, so when {@code bin/qmail-inject} is this project's own launcher the
 * wrapper runs qmail-inject's code in this process, with the very argv and environment the
 * exec would have given it. If {@code bin/qmail-inject} has been swapped for another program
 * (the C original, say), that program is run instead, as are qmail-smtpd and qmail-qread: with
 * stdin, stdout and stderr inherited, cwd QMAILHOME, and this process exiting with the child's
 * code.
 *
 * <p>Exit codes: the child's; 100 for usage and {@code newaliases}; 111 when QMAILHOME is
 * unreachable or a program cannot be started.
 */
final class SendmailRun {
    /** How this project's launchers name the class they run (see scripts/programs). */
    static final byte[] OUR_INJECT = Bytes.ascii("org.jqmail.inject.QmailInject");
    private static final int LAUNCHER_MAX = 64 * 1024;

    private final Auto auto;
    private final Env env;
    private final InputStream stdin;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private final long now;
    private final long pid;

    SendmailRun(Auto auto, Env env, InputStream stdin, OutputStream stdout, OutputStream stderr, long now,
            long pid) {
        this.auto = auto;
        this.env = env;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.now = now;
        this.pid = pid;
    }

    int run(String argv0, List<byte[]> args) {
        Path home = auto.home();
        if (!Files.isDirectory(home)) {
            return fail("sendmail: fatal: unable to switch to qmail home directory\n", 111);
        }
        SendmailOptions.Plan plan = SendmailOptions.parse(SendmailOptions.progname(argv0), args,
                env.get("PROTO") == null, stderr);
        switch (plan.kind()) {
            case USAGE:
                return fail(SendmailOptions.USAGE, 100);
            case NEWALIASES:
                return fail(SendmailOptions.NEWALIASES, 100);
            case QREAD:
                return exec("qmail-qread", List.of(), plan);
            case SMTPD:
                return exec("qmail-smtpd", List.of(), plan);
            default:
                break;
        }
        if (ours(home.resolve("bin").resolve("qmail-inject"))) {
            return new Inject(env.with(plan.env()), home, QueueClient.opener(auto), stdin, stdout, stderr, now, pid)
                    .run(plan.args());
        }
        return exec("qmail-inject", plan.args(), plan);
    }

    /**
     * True unless {@code launcher} is some other program than this project's qmail-inject
     * launcher. A missing {@code bin/qmail-inject} also counts as ours: the C wrapper would fail
     * there with {@code unable to run qmail-inject}; running the code at hand is the better
     * failure mode, and it is what the class-data training run (which has no bin/) exercises.
     */
    static boolean ours(Path launcher) {
        byte[] b;
        try (InputStream in = Files.newInputStream(launcher)) {
            b = in.readNBytes(LAUNCHER_MAX);
        } catch (java.nio.file.NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
        outer:
        for (int i = 0; i + OUR_INJECT.length <= b.length; i++) {
            for (int j = 0; j < OUR_INJECT.length; j++) {
                if (b[i + j] != OUR_INJECT[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private int exec(String name, List<byte[]> args, SendmailOptions.Plan plan) {
        List<byte[]> argv = new ArrayList<>();
        argv.add(Bytes.ascii(auto.home().resolve("bin").resolve(name).toString()));
        argv.addAll(args);
        Child.Result r = Child.run(argv, plan.env(), auto.home());
        if (!r.started()) {
            return fail("sendmail: fatal: unable to run " + name + "\n", 111);
        }
        return r.code();
    }

    private int fail(String text, int code) {
        return fail(Bytes.ascii(text), code);
    }

    private int fail(byte[] text, int code) {
        try {
            stderr.write(text);
            stderr.flush();
        } catch (IOException e) {
            // Nothing to do.
        }
        return code;
    }
}
