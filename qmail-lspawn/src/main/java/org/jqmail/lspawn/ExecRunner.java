package org.jqmail.lspawn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.Report;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;

/**
 * The reference way to run qmail-local (qmail-lspawn(8)): a fresh {@code bin/qmail-local} process
 * that gets the recipient's uid and gid before it starts, through
 * {@code setpriv --reuid U --regid G --groups G} (setgroups to that one gid, setgid, setuid,
 * as {@code prot_gid}/{@code prot_uid} do), with the message file as fd 0 and one pipe as
 * fd 1 and fd 2. The JVM never forks itself; ProcessBuilder starts the child.
 *
 * <p>Exit statuses: the JDK reports a child killed by signal S as 128+S, so 129..192 count as
 * "crashed" (qmail-local only ever exits 0, 100 or 111). setpriv exits 127 when it cannot set
 * the ids (qmail's {@code prot_*} failure, {@code QLX_USAGE}) and 126 when it cannot exec
 * (permanent, {@code QLX_EXECHARD}); a qmail-local that is missing or not executable is caught
 * before starting anything.
 */
final class ExecRunner implements LocalRunner {
    static final String SETPRIV = "/usr/bin/setpriv";

    private final Path home;
    private final boolean dropPrivileges;

    /**
     * @param home QMAILHOME (the child's working directory; {@code bin/qmail-local} is run from it)
     * @param dropPrivileges false in a single-user install, where every delivery runs as the
     *     installing user
     */
    ExecRunner(Path home, boolean dropPrivileges) {
        this.home = home;
        this.dropPrivileges = dropPrivileges;
    }

    /** The command that starts {@code program} as uid/gid (or directly, without the drop). */
    static List<String> command(boolean drop, int uid, int gid, String program) {
        List<String> cmd = new ArrayList<>();
        if (drop) {
            cmd.add(SETPRIV);
            cmd.add("--reuid=" + Integer.toUnsignedString(uid));
            cmd.add("--regid=" + Integer.toUnsignedString(gid));
            cmd.add("--groups=" + Integer.toUnsignedString(gid));
            cmd.add("--");
        }
        cmd.add(program);
        return cmd;
    }

    @Override
    public Outcome run(int uid, int gid, List<byte[]> args, Path message) {
        Path prog = home.resolve("bin").resolve("qmail-local");
        if (!Files.isExecutable(prog)) {
            // execv would fail with ENOENT or EACCES: both permanent.
            return new Outcome(false, Report.QLX_EXECHARD, new byte[0]);
        }
        List<String> cmd = command(dropPrivileges, uid, gid, prog.toString());
        cmd.add("--");
        for (byte[] a : args) {
            cmd.add(Bytes.str(a));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile())
                .redirectInput(message.toFile()).redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Outcome(false, Errors.isTemporary(e) ? Report.QLX_EXECSOFT : Report.QLX_EXECHARD,
                    new byte[0]);
        }
        byte[] out = collect(p.getInputStream());
        int code;
        for (;;) {
            try {
                code = p.waitFor();
                break;
            } catch (InterruptedException e) {
                // Deliveries are never abandoned: keep waiting for the child.
            }
        }
        if (code > 128 && code <= 128 + 64) {
            return new Outcome(true, 0, out);
        }
        if (dropPrivileges && code == 127) {
            code = Report.QLX_USAGE;
        }
        return new Outcome(false, code, out);
    }

    /** Everything the child writes, cut as spawn.c cuts it (3000 bytes). */
    static byte[] collect(InputStream in) {
        ByteBuf out = new ByteBuf(Report.LSPAWN_TRUNC + 1024);
        byte[] buf = new byte[1024];
        try (InputStream i = in) {
            int r;
            while ((r = i.read(buf)) > 0) {
                out.append(buf, 0, r);
                Report.truncate(out, Report.LSPAWN_TRUNC);
            }
        } catch (IOException e) {
            // As spawn.c: a read error ends the output.
        }
        return out.toByteArray();
    }
}
