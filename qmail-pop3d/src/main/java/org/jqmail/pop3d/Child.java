package org.jqmail.pop3d;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.io.InputStream;
import org.jqmail.io.Spawn;
import org.jqmail.io.TlsStreams;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.WaitStatus;

/**
 * qmail-popup's subprogram, started with the client on its fds 0 and 1, fd 2 inherited and a
 * pipe on fd 3 carrying the login, as {@code doanddie()} starts it with fork and execvp.
 *
 * <p>The JDK starts a child with three descriptors only, so under tcpserver, where fds 0 and
 * 1 are one socket, the child is {@code /bin/sh -c 'exec 3<&0 0<&1 "$@"'}: the JDK's stdin
 * pipe becomes fd 3 and the socket, still open on fd 1, becomes fd 0 again, before the shell
 * execs the subprogram with execvp's PATH search. This needs no native code. Any other kind of
 * fd 0 (pipes from a TLS wrapper, a file in a test) gets the exact descriptor map from
 * {@link Spawn} through the native layer, which costs that login the native library's start.
 *
 * <p>Outcome: exit status 0 is success, a status the JDK reports for a signal (128 + N, N in
 * 1..64) is a crash, anything else a failed login (a subprogram that cannot be run makes the
 * shell exit 126 or 127, where qmail's child exits 1: a failed login either way). Could not
 * start: {@code unable to fork}; could not write the pipe: {@code unable to write pipe}.
 *
 * <p>In a TLS session ({@link #run(byte[], TlsStreams)}) the subprogram's fds 0 and 1 are
 * pipes to this process, which relays them to and from the TLS connection (doc/POP3.md §6):
 * the subprogram and the qmail-pop3d it runs as the user see the client in clear text and
 * never hold the TLS keys.
 *
 * <p>See also: qmail-popup.c {@code doanddie()}, execvp(3), doc/POP3.md.
 */
final class Child implements Popup.Subprogram {
    static final String SH = "/bin/sh";
    static final String SCRIPT = "exec 3<&0 0<&1 \"$@\"";

    private final List<String> argv;

    /** {@code argv}: the subprogram and its arguments (at least one word). */
    Child(List<String> argv) {
        this.argv = List.copyOf(argv);
    }

    @Override
    public Outcome run(byte[] fd3) throws Popup.Trouble {
        return oneSocket() ? viaShell(fd3) : viaSpawn(fd3);
    }

    @Override
    public Outcome run(byte[] fd3, TlsStreams tls) throws Popup.Trouble {
        String path = search(argv.get(0), System.getenv("PATH"));
        if (path == null) {
            return Outcome.FAILED;
        }
        Spawn s = start(new Spawn(Nat.posix(), path, argv).pipeTo(0).pipeFrom(1).inherit(2, 2), fd3);
        Thread up = new Thread(new Pump(tls.in, s.to(0)), "pop3-relay");
        up.setDaemon(true);
        up.start();
        new Pump(s.from(1), tls.out).run();
        return outcome(s);
    }

    /** Starts {@code spawn} with a pipe on fd 3 and writes {@code fd3} into it. */
    private static Spawn start(Spawn spawn, byte[] fd3) throws Popup.Trouble {
        Spawn s;
        try {
            s = spawn.pipeTo(3).start();
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new Popup.Trouble(Popup.FORK, e);
        }
        try (OutputStream o = s.to(3)) {
            o.write(fd3);
        } catch (IOException e) {
            throw new Popup.Trouble(Popup.WRITE, e);
        }
        return s;
    }

    /** Waits for {@code s}: crashed (killed by a signal), success (exit 0) or failed. */
    private static Outcome outcome(Spawn s) throws Popup.Trouble {
        WaitStatus w;
        try {
            w = s.waitFor();
        } catch (IOException e) {
            // wait_pid failed: qmail-popup just dies.
            throw new Popup.Trouble(null, e);
        }
        if ((w.raw() & 0x7f) != 0) {
            return Outcome.CRASHED;
        }
        return w.exitCode() == 0 ? Outcome.SUCCESS : Outcome.FAILED;
    }

    /**
     * Copies until end of input or an error, then closes {@code to}: each read is one write
     * (one TLS record towards the client). The client's side ends when the client closes or the
     * subprogram has exited; the subprogram's side when it closes its fd 1 (exits).
     */
    private static final class Pump implements Runnable {
        private final InputStream from;
        private final OutputStream to;

        Pump(InputStream from, OutputStream to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() {
            byte[] b = new byte[16384];
            try {
                int n;
                while ((n = from.read(b, 0, b.length)) > 0) {
                    to.write(b, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // Either side gone: the session is over.
            } finally {
                try {
                    // The pipe to the subprogram: end of input. TLS output: closing is a no-op
                    // (close_notify is qmail-popup's, at its end).
                    to.close();
                } catch (IOException e) {
                    // Nothing more to tell the other side.
                }
            }
        }
    }

    /** True if fds 0 and 1 are the same socket, as tcpserver gives them. */
    static boolean oneSocket() {
        try {
            String in = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            String out = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return in.startsWith("socket:") && in.equals(out);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The shell's argv: {@code sh -c SCRIPT qmail-popup ARGV...}. */
    static List<String> shellArgv(List<String> argv) {
        List<String> cmd = new ArrayList<>(argv.size() + 4);
        cmd.add(SH);
        cmd.add("-c");
        cmd.add(SCRIPT);
        cmd.add("qmail-popup");
        cmd.addAll(argv);
        return cmd;
    }

    private Outcome viaShell(byte[] fd3) throws Popup.Trouble {
        ProcessBuilder pb = new ProcessBuilder(shellArgv(argv))
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new Popup.Trouble(Popup.FORK, e);
        }
        try (OutputStream o = p.getOutputStream()) {
            o.write(fd3);
        } catch (IOException e) {
            throw new Popup.Trouble(Popup.WRITE, e);
        }
        int st = waitFor(p);
        if (st == 0) {
            return Outcome.SUCCESS;
        }
        return st > 128 && st <= 128 + 64 ? Outcome.CRASHED : Outcome.FAILED;
    }

    private static int waitFor(Process p) {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return p.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Outcome viaSpawn(byte[] fd3) throws Popup.Trouble {
        String path = search(argv.get(0), System.getenv("PATH"));
        if (path == null) {
            // execvp failed in qmail's child, which then exits 1.
            return Outcome.FAILED;
        }
        return outcome(start(new Spawn(Nat.posix(), path, argv).inherit(0, 0).inherit(1, 1).inherit(2, 2), fd3));
    }

    /**
     * execvp's search: a name with a slash as it is, otherwise the first executable regular
     * file NAME in the directories of {@code path} (glibc's default {@code /bin:/usr/bin} when
     * PATH is unset; an empty entry is the working directory). Null if there is none.
     */
    static String search(String name, String path) {
        if (name.isEmpty()) {
            return null;
        }
        if (name.indexOf('/') >= 0) {
            return name;
        }
        String p = path == null ? "/bin:/usr/bin" : path;
        for (String dir : p.split(":", -1)) {
            File f = dir.isEmpty() ? new File(name) : new File(dir, name);
            if (f.isFile() && f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }
}
