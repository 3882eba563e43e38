package org.jqmail.local;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jqmail.control.Failure;
import org.jqmail.control.TempFail;
import org.jqmail.io.Scan;

/**
 * Program delivery (qmail-command(8)), qmail-local's {@code mailprogram}:
 * {@code /bin/sh -c COMMAND} in the home directory, stdin the message from its first byte
 * (seekable), stdout and stderr qmail-local's own (they become part of the delivery report),
 * environment the inherited one plus qmail-local's variables, umask 077 and SIGPIPE at its default.
 *
 * <p>Exit codes: 0 → delivered; 99 → delivered, stop processing further lines; 100, 64, 65, 70,
 * 76, 77, 78, 112 → qmail-local exits 100; killed by a signal → {@code Aack, child crashed.}
 * (111); anything else → qmail-local exits 111, with no text of its own.
 *
 * <p>Differences forced by the JDK, and how they are kept invisible:
 * <ul>
 * <li>The JDK cannot set a child's umask. If this process's umask is not 077, the command runs
 * as {@code /bin/sh -c 'umask 077; exec /bin/sh -c "$1"' /bin/sh COMMAND}, which ends in the
 * very process qmail would exec ({@code /bin/sh -c COMMAND}, same argv, same environment).</li>
 * <li>The JDK reports a child killed by signal N as exit status 128+N. Statuses 129..192 are
 * therefore taken as "crashed"; a program that really exits with such a code (a shell
 * reporting a killed pipeline) gets the crash text added to its 111.</li>
 * <li>The JDK resets signal dispositions for its children, so SIGPIPE is at its default, as
 * qmail's {@code sig_pipedefault()} makes it.</li>
 * </ul>
 */
final class Program {
    private static final String SH = "/bin/sh";
    private static final String UMASK_WRAPPER = "umask 077; exec /bin/sh -c \"$1\"";
    private static final int SIGNAL_MIN = 129;
    private static final int SIGNAL_MAX = 128 + 64;

    private final Sys sys;
    private final Path tmpdir;
    private final Map<String, String> inherited;

    /**
     * {@code inherited} is the environment the program starts from (this process's); null
     * means the JVM's own.
     */
    Program(Sys sys, Path tmpdir, Map<String, String> inherited) {
        this.sys = sys;
        this.tmpdir = tmpdir;
        this.inherited = inherited;
    }

    /**
     * Runs {@code command}; returns true if it exited 99 (stop processing further lines).
     * Throws qmail-local's failure for every other outcome but 0.
     */
    boolean run(byte[] command, Path home, Map<String, byte[]> vars, Message msg, Output out)
            throws Failure {
        try {
            msg.rewind();
        } catch (IOException e) {
            throw Trouble.rewind();
        }
        String cmd = Jnu.str(command);
        ProcessBuilder pb = new ProcessBuilder(sys.umask077() ? List.of(SH, "-c", cmd)
                : List.of(SH, "-c", UMASK_WRAPPER, SH, cmd));
        pb.directory(home.toFile());
        Map<String, String> env = pb.environment();
        if (inherited != null) {
            env.clear();
            env.putAll(inherited);
        }
        for (Map.Entry<String, byte[]> v : vars.entrySet()) {
            env.put(v.getKey(), Jnu.str(v.getValue()));
        }
        if (out.inheritable()) {
            pb.redirectOutput(Redirect.INHERIT).redirectError(Redirect.INHERIT);
        } else {
            pb.redirectErrorStream(true);
        }
        Process p;
        try (Message.ProgramInput stdin = msg.programInput(tmpdir)) {
            pb.redirectInput(stdin.redirect());
            p = pb.start();
        } catch (IOException e) {
            throw startFailure(e);
        }
        int code;
        try {
            if (!out.inheritable()) {
                out.copy(p.getInputStream());
            }
            code = p.waitFor();
        } catch (IOException e) {
            p.destroyForcibly();
            throw Trouble.childCrashed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw Trouble.childCrashed();
        }
        return exit(code);
    }

    /** The outcome of exit status {@code code} as the JDK reports it. */
    static boolean exit(int code) throws Failure {
        switch (code) {
            case 0:
                return false;
            case 99:
                return true;
            case 100: case 64: case 65: case 70: case 76: case 77: case 78: case 112:
                throw Trouble.programPerm();
            default:
                if (code >= SIGNAL_MIN && code <= SIGNAL_MAX) {
                    throw Trouble.childCrashed();
                }
                throw Trouble.programTemp();
        }
    }

    /**
     * {@code ProcessBuilder.start} failed: an exec failure ({@code error=N} in the JDK's text)
     * is qmail's child saying {@code Unable to run /bin/sh: ERR.}; anything else is
     * {@code Unable to fork: ERR.}.
     */
    static TempFail startFailure(IOException e) {
        String m = e.getMessage();
        int at = m == null ? -1 : m.indexOf("error=");
        if (at >= 0) {
            int end = at + 6;
            while (end < m.length() && Character.isDigit(m.charAt(end))) {
                end++;
            }
            long errno = Scan.strict(m.substring(at + 6, end));
            if (errno > 0 && errno < 4096) {
                return Trouble.runSh((int) errno);
            }
        }
        return Trouble.fork(e);
    }
}
