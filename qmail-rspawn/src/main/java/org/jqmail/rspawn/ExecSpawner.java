package org.jqmail.rspawn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.jqmail.control.Report;
import org.jqmail.control.SpawnLoop;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;

/**
 * Deliveries through an external program, as qmail-rspawn does when {@code QMAILREMOTE} is set
 * (qmail-rspawn(8); notqmail's QMAILREMOTE): {@code PROGRAM DOMAIN SENDER RECIPIENT} (looked up in
 * {@code PATH} if it has no slash), with the message file on fd 0, fd 1 and fd 2 on one pipe, cwd
 * {@code queue/mess}. Its whole output is folded with {@link Report#rspawn}.
 *
 * <p>Exit status as qmail-rspawn reads it: a program that cannot be run is 111 if the error is
 * temporary and 100 otherwise ({@code Unable to run qmail-remote.}); a program killed by a
 * signal is {@code Zqmail-remote crashed.}. The JDK reports a signal as exit status 128 + N,
 * so statuses 129–192 count as crashes (a deferral, never a bounce).
 *
 * <p>Known limit: the JDK passes arguments through the platform charset
 * ({@code sun.jnu.encoding}); bytes that charset cannot represent (any non-ASCII byte under the
 * C locale) do not reach the program unchanged. The in-process default has no such limit.
 */
final class ExecSpawner implements SpawnLoop.Spawner {
    private final String program;
    private final Path messDir;
    private final Charset argCharset;

    ExecSpawner(String program, Path messDir) {
        this.program = program;
        this.messDir = messDir;
        this.argCharset = jnu();
    }

    @Override
    public byte[] deliver(int slot, Path message, byte[] sender, byte[] recipient, int at) {
        ProcessBuilder pb = new ProcessBuilder(List.of(program, arg(Bytes.sub(recipient, at + 1)),
                arg(sender), arg(recipient)));
        pb.directory(messDir.toFile());
        pb.redirectInput(message.toFile());
        pb.redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return Report.rspawn(false, Errors.isTemporary(Errors.errno(e)) ? 111 : 100, new byte[0], 0);
        }
        ByteBuf out = new ByteBuf(4096, InProcessSpawner.OUTPUT_MAX);
        try (InputStream in = p.getInputStream()) {
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0;) {
                int keep = Math.min(n, out.max() - out.length());
                out.append(buf, 0, keep);
            }
        } catch (IOException e) {
            // The pipe broke: whatever arrived is the output, as in spawn.c.
        }
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return Report.rspawn(true, 0, new byte[0], 0);
        }
        boolean crashed = code > 128 && code <= 128 + 64;
        return Report.rspawn(crashed, code, out.array(), out.length());
    }

    private String arg(byte[] b) {
        return new String(b, argCharset);
    }

    private static Charset jnu() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "ISO-8859-1"));
        } catch (RuntimeException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }
}
