package org.jqmail.remote;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.io.Argv;
import org.jqmail.io.Fds;
import org.jqmail.io.Main;
import org.jqmail.io.Out;

/**
 * qmail-remote: sends one message by SMTP to the best reachable mail exchanger of a host.
 *
 * <p>Synopsis: {@code qmail-remote HOST SENDER RECIP [RECIP ...]}; the message on fd 0, the
 * report records on fd 1 ({@code r}/{@code h}/{@code s} per recipient, then {@code K}, {@code Z}
 * or {@code D}, each ending in {@code \0}; qmail-remote(8)).
 *
 * <p>Exit status: always 0, even when it cannot write its output. An unexpected error still
 * ends the output with a {@code Z} record, so the mail is deferred, never bounced.
 *
 * <p>Controls: {@code helohost}, {@code me}, {@code smtproutes}, {@code qmtproutes} (doc/QMTP.md §7),
 * {@code timeoutconnect},
 * {@code timeoutremote}; the timeout table {@code queue/lock/tcpto}. Environment (tests only):
 * {@code JQMAIL_DNS_SERVER}, {@code JQMAIL_SMTP_PORT}.
 *
 * <p>Lean: no native code; dnsjava only when a lookup is needed (doc/ARCHITECTURE.md §2).
 *
 * <p>See also: {@code qmail-remote(8)}, {@link Remote}, qmail-rspawn.
 */
public final class QmailRemote {

    private QmailRemote() {
    }

    public static void main(String[] args) {
        // Another thread dying must not leave a half-written report: a lone "r" record would
        // fold into a bounce. Halting with no further output folds into a deferral.
        Main.guard(0);
        OutputStream out = Out.stdout();
        try {
            byte[][] argv = Argv.bytes(args);
            if (argv.length < 3) {
                Out.out(Trouble.USAGE);
                Main.end(0);
                return;
            }
            List<byte[]> recips = new ArrayList<>();
            for (int i = 2; i < argv.length; i++) {
                recips.add(argv[i]);
            }
            java.util.Map<String, String> environ = System.getenv();
            Remote.Env env = RemoteSetup.env(Auto.get().home(), environ, RemoteSetup.resolver(environ), null,
                    ProcessHandle.current().pid(), null);
            InputStream message = Fds.in(0);
            new Remote(env).run(argv[0], argv[1], recips, message, QmailRemote::size0, out);
        } catch (Throwable t) {
            Main.failed(out, Trouble.BUG, 0);
        }
        Main.end(0);
    }

    /**
     * What is left of fd 0 if it is a regular file (the queued message qmail-rspawn gives),
     * else -1. Asked only for QMTP, before anything was read.
     */
    static long size0() {
        try {
            if (!Files.isRegularFile(Path.of("/proc/self/fd/0"))) {
                return -1;
            }
            FileChannel ch = new FileInputStream(FileDescriptor.in).getChannel();
            return ch.size() - ch.position();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
