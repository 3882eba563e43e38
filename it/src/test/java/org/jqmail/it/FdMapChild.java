package org.jqmail.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jqmail.io.Fds;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;
import org.jqmail.io.nat.WaitStatus;

/**
 * The child side of {@link SpawnFdMapIT}, run as its own JVM.
 *
 * <p>{@code echo}: reads fd 3 to its end and writes {@code "4:"} and the bytes with ASCII
 * letters upper-cased to fd 4; reads fd 5 and writes {@code "6:"} and the bytes reversed to
 * fd 6; then reports on fd 1 one line {@code fd N TARGET} per open descriptor and the
 * {@code SigBlk:} line of its status.
 *
 * <p>{@code relay}: spawns an {@code echo} child with fds 3/5 and 4/6 swapped (child 3 from
 * our 5, child 5 from our 3, ...), closes its own 3..6 and exits with the child's code.
 *
 * <p>{@code exec}: opens a pipe without close-on-exec (the JVM has such descriptors of its
 * own too), then becomes {@code /bin/sh} through {@code Posix.exec} with keepBelow 3; the
 * shell reports the signal mask it was given and ls reports its descriptors on fd 1.
 */
public final class FdMapChild {
    private FdMapChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "echo" -> echo();
            case "relay" -> System.exit(relay());
            case "exec" -> exec();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void echo() throws IOException {
        byte[] a = readAll(3);
        for (int i = 0; i < a.length; i++) {
            if (a[i] >= 'a' && a[i] <= 'z') {
                a[i] -= 32;
            }
        }
        write(4, "4:", a);
        byte[] b = readAll(5);
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        write(6, "6:", r);
        StringBuilder report = new StringBuilder();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : fds.sorted((x, y) -> Integer.compare(fd(x), fd(y))).toList()) {
                try {
                    report.append("fd ").append(fd(p)).append(' ').append(Files.readSymbolicLink(p)).append('\n');
                } catch (IOException e) {
                    // The descriptor of the listing itself, closed by now.
                }
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigBlk:")) {
                report.append(line).append('\n');
            }
        }
        OutputStream out = Fds.out(1);
        out.write(report.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static int fd(Path p) {
        return Integer.parseInt(p.getFileName().toString());
    }

    private static byte[] readAll(int fd) throws IOException {
        try (InputStream in = Fds.in(fd)) {
            return in.readNBytes(1 << 20);
        }
    }

    private static void write(int fd, String prefix, byte[] b) throws IOException {
        try (OutputStream out = Fds.out(fd)) {
            out.write(prefix.getBytes(StandardCharsets.US_ASCII));
            out.write(b);
        }
    }

    private static int relay() throws IOException {
        Posix px = Nat.posix();
        List<String> argv = ChildJvm.argv(FdMapChild.class, "echo");
        long pid = px.spawn(argv.get(0), argv, null, new int[] {0, 1, 2, 5, 6, 3, 4}, null);
        for (int fd = 3; fd <= 6; fd++) {
            px.close(fd);
        }
        WaitStatus ws = px.waitpid(pid, false);
        return ws.exited() ? ws.exitCode() : 128 + ws.termSig();
    }

    private static void exec() throws IOException {
        Posix px = Nat.posix();
        int[] leak = px.pipe();
        px.setCloexec(leak[0], false);
        px.setCloexec(leak[1], false);
        if (leak[0] < 3) {
            throw new IllegalStateException("expected the leak above fd 2");
        }
        px.exec("/bin/sh", List.of("sh", "-c",
                "grep '^SigBlk:' /proc/self/status; exec ls -1 /proc/self/fd"), null, 3);
    }
}
