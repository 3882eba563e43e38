package org.jqmail.inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jqmail.io.Errors;

/**
 * Runs another program the way qmail's helpers fork and exec one, with what Java offers
 * without native code ({@link ProcessBuilder}): the child inherits stdin, stdout and stderr (or
 * gets a pipe on stdin that this process fills), and the caller waits and takes its exit code.
 * qmail's {@code execv} replaces the process instead; the observable difference is one more
 * process while the child runs.
 *
 * <p>Known limit: the JDK reports death by signal N as exit code 128+N, so a child that
 * really exits with a code above 128 is taken for a crash ({@link #crashed}).
 */
final class Child {
    /** How a child ended, or could not start. */
    record Result(int code, boolean crashed, IOException startError, IOException copyError) {
        boolean started() {
            return startError == null;
        }

        /** qmail's exec-failure code: 111 for a temporary errno, else 100. */
        int execFailureCode() {
            return Errors.isTemporary(startError) ? 111 : 100;
        }
    }

    private Child() {
    }

    private static Charset jnu() {
        String cs = System.getProperty("sun.jnu.encoding");
        try {
            return cs == null ? Charset.defaultCharset() : Charset.forName(cs);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    /** Strings as the JDK will pass them to exec. */
    static List<String> strings(List<byte[]> words) {
        Charset cs = jnu();
        List<String> l = new ArrayList<>(words.size());
        for (byte[] w : words) {
            l.add(new String(w, cs));
        }
        return l;
    }

    private static ProcessBuilder builder(List<byte[]> argv, Map<String, byte[]> envChanges, Path cwd) {
        ProcessBuilder pb = new ProcessBuilder(strings(argv));
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        if (envChanges != null) {
            Charset cs = jnu();
            Map<String, String> e = pb.environment();
            for (Map.Entry<String, byte[]> c : envChanges.entrySet()) {
                if (c.getValue() == null) {
                    e.remove(c.getKey());
                } else {
                    e.put(c.getKey(), new String(c.getValue(), cs));
                }
            }
        }
        return pb;
    }

    /** Runs {@code argv} (PATH lookup for a name without {@code /}) with all fds inherited. */
    static Result run(List<byte[]> argv, Map<String, byte[]> envChanges, Path cwd) {
        ProcessBuilder pb = builder(argv, envChanges, cwd).inheritIO();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(0, false, e, null);
        }
        return waitFor(p);
    }

    /**
     * Runs {@code argv} with stdin fed from {@code prefix} followed by {@code in}; stdout and
     * stderr inherited. A failure to copy (reading {@code in}, or writing to a child that
     * stopped reading) is reported in {@link Result#copyError}; the caller decides whether it
     * matters.
     */
    static Result feed(List<byte[]> argv, byte[] prefix, InputStream in) {
        ProcessBuilder pb = builder(argv, null, null)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(0, false, e, null);
        }
        IOException copyError = null;
        try (OutputStream o = p.getOutputStream()) {
            o.write(prefix);
            in.transferTo(o);
        } catch (IOException e) {
            copyError = e;
        }
        Result r = waitFor(p);
        return new Result(r.code(), r.crashed(), null, copyError);
    }

    private static Result waitFor(Process p) {
        for (;;) {
            try {
                int code = p.waitFor();
                return new Result(code, code > 128, null, null);
            } catch (InterruptedException e) {
                // Keep waiting, as wait_pid does on EINTR.
            }
        }
    }
}
