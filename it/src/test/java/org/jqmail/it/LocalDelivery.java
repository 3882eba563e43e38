package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code bin/qmail-local} the way qmail-lspawn does: fd 0 the message file (a seekable
 * regular file), fd 1 and fd 2 one pipe whose contents are the report text.
 */
final class LocalDelivery {
    /** Exit status and everything written to fd 1 and fd 2, in order. */
    record Result(int exit, String report) {
        @Override
        public String toString() {
            return exit + " " + report;
        }
    }

    private LocalDelivery() {
    }

    /** A message file readable by anyone, as a queue file is to qmail-local through fd 0. */
    static Path message(Path dir, String text) throws IOException {
        Path m = Files.createTempFile(dir, "mess-", "");
        Files.write(m, text.getBytes(ISO_8859_1));
        Files.setPosixFilePermissions(m, PosixFilePermissions.fromString("rw-r--r--"));
        return m;
    }

    static Result run(List<String> prefixCommand, Path program, Path message, Map<String, String> env,
            String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(prefixCommand);
        argv.add(program.toString());
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(message == null ? Redirect.PIPE
                : Redirect.from(message.toFile())).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        if (message == null) {
            p.getOutputStream().close();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(argv + " still running");
        }
        return new Result(p.exitValue(), out.toString(ISO_8859_1));
    }

    static Result run(Path program, Path message, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return run(List.of(), program, message, env, args);
    }
}
