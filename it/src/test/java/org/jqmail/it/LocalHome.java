package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Stand-in for {@code TestHome} (branch h-install) until it lands on main: a scratch prefix
 * under {@code /tmp} holding {@code bin/qmail-local} and {@code bin/qmail-local-worker}
 * launchers over the built jars, plus the user helper the root test needs. To be replaced by
 * {@code TestHome} after merging.
 */
final class LocalHome implements AutoCloseable {
    private final Path dir;
    private final Path prefix;

    private LocalHome(Path dir) {
        this.dir = dir;
        this.prefix = dir.resolve("qmail");
    }

    static LocalHome create() throws IOException {
        Path base = Paths.get("/tmp/jqmail-it-local");
        Files.createDirectories(base);
        traversable(base);
        Path dir = Files.createTempDirectory(base, "home-");
        traversable(dir);
        LocalHome h = new LocalHome(dir);
        Path lib = h.prefix.resolve("lib");
        Files.createDirectories(lib);
        Files.createDirectories(h.prefix.resolve("bin"));
        traversable(h.prefix);
        traversable(lib);
        traversable(h.prefix.resolve("bin"));
        Path built = repoRoot().resolve("scripts/target/lib");
        try (Stream<Path> jars = Files.list(built)) {
            for (Path j : (Iterable<Path>) jars::iterator) {
                Path t = lib.resolve(j.getFileName());
                Files.copy(j, t);
                Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        h.launcher("qmail-local", "org.jqmail.local.QmailLocal");
        h.launcher("qmail-local-worker", "org.jqmail.local.QmailLocalWorker");
        return h;
    }

    private void launcher(String name, String cls) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String text = "#!/bin/sh\nexec '" + java + "' -Dqmail.home='" + prefix + "'"
                + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto"
                + " -cp '" + prefix.resolve("lib") + "/*' " + cls + " \"$@\"\n";
        Path p = bin(name);
        Files.write(p, text.getBytes(ISO_8859_1));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static Path repoRoot() {
        String p = System.getProperty("jqmail.root");
        Path root = p != null ? Paths.get(p) : Paths.get("").toAbsolutePath().getParent();
        return root.toAbsolutePath().normalize();
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * A fresh scratch directory under this installation (name starting with {@code prefix}),
     * holding {@code home/Maildir/{tmp,new,cur}}, both traversable by the delivering user.
     */
    Path scratch(String prefix) throws IOException {
        Path d = Files.createTempDirectory(dir(), prefix);
        traversable(d);
        Path home = d.resolve("home");
        for (String m : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(home.resolve("Maildir").resolve(m));
        }
        traversable(home);
        return d;
    }

    static void traversable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    Path dir() {
        return dir;
    }

    Path prefix() {
        return prefix;
    }

    Path bin(String program) {
        return prefix.resolve("bin").resolve(program);
    }

    /** A login user (root only: the test is skipped otherwise); returns its home. */
    static Path ensureUser(String name) throws IOException, InterruptedException {
        Assumptions.assumeTrue(isRoot(), "creating users needs root");
        Path users = Paths.get("/tmp/jqmail-it-local/users");
        Files.createDirectories(users);
        traversable(users);
        Path home = users.resolve(name);
        if (exec("getent", "passwd", name) != 0
                && exec("flock", "-w", "120", "/run/lock/jqmail-install.lock", "useradd", "--no-create-home",
                    "--user-group", "--home-dir", home.toString(), "--shell", "/bin/sh", name) == 0) {
            TestHome.removeAtExit(name, home);
        }
        Files.createDirectories(home);
        exec("chown", name + ":" + name, home.toString());
        traversable(home);
        return home;
    }

    static int uid(String user) throws IOException, InterruptedException {
        return Integer.parseInt(out("id", "-u", user).trim());
    }

    static int gid(String user) throws IOException, InterruptedException {
        return Integer.parseInt(out("id", "-g", user).trim());
    }

    private static int exec(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(List.of(argv) + " hangs");
        }
        return p.exitValue();
    }

    private static String out(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(b);
        }
        p.waitFor(Duration.ofMinutes(1).toMillis(), TimeUnit.MILLISECONDS);
        return b.toString(ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
