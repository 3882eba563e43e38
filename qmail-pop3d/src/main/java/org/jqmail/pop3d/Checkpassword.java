package org.jqmail.pop3d;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jqmail.io.Fds;
import org.jqmail.io.Main;
import org.jqmail.io.ProcSelf;
import org.jqmail.io.nat.Crypt;

/**
 * checkpassword: checks a login against the system's accounts and runs a program as that
 * user, with the checkpassword interface that qmail-popup (and any other caller of that
 * interface) uses.
 *
 * <p>Synopsis: {@code checkpassword PROG [ARG...]}, run as root, with the login on descriptor
 * 3 ({@link Credentials}). When {@link Verify} accepts it, PROG runs with the user's uid, gid
 * and that one group (as qmail's {@code prot_gid} and the original checkpassword set them), in
 * the user's home directory, with {@code USER}, {@code HOME} and {@code SHELL} set and the rest
 * of the environment and fds 0..2 unchanged: through
 * {@code setpriv --reuid --regid --groups -- env -C HOME -- USER=... HOME=... SHELL=... PROG...},
 * so that nothing runs as the user before its ids are set. This process waits for PROG and
 * exits with its status (a signal N as 128 + N, which qmail-popup reports as a crash). Run by
 * an ordinary user (a single-user install), it can serve only that user's own account.
 *
 * <p>Exit status: 1 for a refused login (also for more than 512 bytes on fd 3), 2 for misuse
 * (no PROG, malformed fd 3 data), 111 for a temporary problem (fd 3 or /etc/passwd
 * unreadable, getent or libcrypt unusable, PROG not startable), else PROG's. Loads libcrypt
 * (java.lang.foreign on Java 22 and later, jnr before): a {@code lean+ffm} program in
 * scripts/programs, with a class-data archive trained on a refused login
 * (scripts/train/checkpassword.fd3).
 *
 * <p>See also: checkpassword(8), {@link QmailPopup}, setpriv(1), env(1), doc/POP3.md.
 */
public final class Checkpassword {
    static final String SETPRIV = "/usr/bin/setpriv";
    static final String ENV = "/usr/bin/env";

    private Checkpassword() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        int code;
        try {
            code = run(args);
        } catch (Throwable t) {
            code = Main.failed("checkpassword", t, 111);
        }
        Main.end(code);
    }

    private static int run(String[] args) {
        if (args.length == 0) {
            return 2;
        }
        byte[] up = new byte[Credentials.MAX + 1];
        int len = 0;
        try (InputStream in = new FileInputStream(Fds.devFd(3))) {
            for (;;) {
                int r = in.read(up, len, up.length - len);
                if (r < 0) {
                    break;
                }
                len += r;
                if (len >= up.length) {
                    return 1;
                }
            }
        } catch (IOException e) {
            return 111;
        }
        Credentials c = Credentials.parse(up, len);
        Arrays.fill(up, (byte) 0);
        if (c == null) {
            return 2;
        }
        Accounts.Account a;
        try {
            a = new Verify(new SystemLookup(), new LibCrypt(), System.currentTimeMillis() / 86_400_000L).check(c);
        } catch (IOException e) {
            return 111;
        } finally {
            c.wipe();
        }
        if (a == null) {
            return 1;
        }
        return runAs(a, Arrays.asList(args));
    }

    /** The command that runs {@code prog} as the account; null if this process cannot. */
    static List<String> command(Accounts.Account a, long myUid, List<String> prog) {
        List<String> cmd = new ArrayList<>();
        if (myUid == 0) {
            cmd.add(SETPRIV);
            cmd.add("--reuid=" + a.uid());
            cmd.add("--regid=" + a.gid());
            cmd.add("--groups=" + a.gid());
            cmd.add("--");
        } else if (myUid != a.uid()) {
            return null;
        }
        cmd.add(ENV);
        cmd.add("-C");
        cmd.add(a.home());
        cmd.add("--");
        cmd.add("USER=" + a.name());
        cmd.add("HOME=" + a.home());
        cmd.add("SHELL=" + a.shell());
        cmd.addAll(prog);
        return cmd;
    }

    private static int runAs(Accounts.Account a, List<String> prog) {
        List<String> cmd = command(a, ProcSelf.uid(), prog);
        if (cmd == null) {
            // prot_gid/prot_uid would fail: a refused login, as in the original.
            return 1;
        }
        Process p;
        try {
            // The environment is not touched here, so the JDK passes this process's own on
            // unchanged (env adds USER, HOME and SHELL); fds 0..2 are inherited.
            p = new ProcessBuilder(cmd).inheritIO().start();
        } catch (IOException e) {
            return 111;
        }
        for (;;) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                // Nobody interrupts this thread; keep waiting for the session.
            }
        }
    }

    /** The system's accounts (named classes, not lambdas: no linkage cost at start-up). */
    private static final class SystemLookup implements Verify.Lookup {
        @Override
        public Accounts.Account get(String name) throws IOException {
            return Accounts.lookup(name);
        }
    }

    /** The system's crypt(3). */
    private static final class LibCrypt implements Verify.Hash {
        @Override
        public byte[] crypt(byte[] key, byte[] setting) throws IOException {
            return Crypt.crypt(key, setting);
        }
    }
}
