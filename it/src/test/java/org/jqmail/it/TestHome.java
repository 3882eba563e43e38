package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A freshly installed qmail home for one integration test, and the few process helpers every
 * integration test needs.
 *
 * <p>{@link #create} makes a world-traversable scratch directory under {@code /tmp}
 * ({@code /tmp/jqmail-it/home-N/}, or {@code /tmp/jqmail-it-USER/} for an ordinary user) and
 * runs {@code scripts/install --prefix DIR/qmail --fqdn test.example --no-archives} into it,
 * so the prefix holds the launchers of every program built so far, the queue, the control
 * files of a host named {@code test.example} and, as root, the real qmail accounts (created
 * by the install script if missing). {@link #start} runs programs as child processes with
 * their stdout and stderr in files under {@code DIR/log/}; {@link #close} stops exactly those
 * processes, by pid, and deletes the directory.
 *
 * <p>The machine's qmail accounts are shared by every test and were created by whichever
 * install came first, so their home directories point elsewhere (the alias user's in
 * particular). Tests that deliver to the alias user map it to this prefix with
 * {@link #usersAssign} (which compiles {@code users/cdb} once {@code bin/qmail-newu} exists).
 *
 * <p>Typical use:
 * <pre>
 * try (TestHome home = TestHome.create()) {
 *     home.control("databytes", "1000");
 *     TestHome.Proc p = home.start("qmail-queued");
 *     TestHome.await(() -&gt; Files.exists(home.sock().resolve("qmail-queue")), Duration.ofSeconds(10));
 *     ...
 * }
 * </pre>
 * Program names without a slash are taken from {@code bin/}. Nothing here sleeps for a fixed
 * time: waiting is polling with a deadline ({@link #await}).
 */
public final class TestHome implements AutoCloseable {
    /** The host name the test installs use ({@code control/me}, {@code locals}, ...). */
    public static final String FQDN = "test.example";
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration INSTALL_LIMIT = Duration.ofMinutes(10);

    private final Path dir;
    private final Path prefix;
    private final Path logs;
    private final List<Proc> procs = new ArrayList<>();
    private int started;

    private TestHome(Path dir) {
        this.dir = dir;
        this.prefix = dir.resolve("qmail");
        this.logs = dir.resolve("log");
    }

    /** A new installed prefix without class-data archives (fast). */
    public static TestHome create() throws IOException {
        return create(false);
    }

    /**
     * A new installed prefix; {@code archives} makes the install-time class-data archives
     * too (slower: one training run per program). {@code installArgs} are passed on to
     * {@code scripts/install} (for example {@code --java DIR}).
     */
    public static TestHome create(boolean archives, String... installArgs) throws IOException {
        Path base = base();
        Path dir = Files.createTempDirectory(base, "home-");
        traversable(dir);
        TestHome home = new TestHome(dir);
        Files.createDirectory(home.logs);
        List<String> argv = new ArrayList<>(List.of("bash", installScript().toString(),
                "--prefix", home.prefix.toString(), "--fqdn", FQDN));
        if (!archives) {
            argv.add("--no-archives");
        }
        argv.addAll(Arrays.asList(installArgs));
        Result r = exec(argv, null, INSTALL_LIMIT);
        if (r.exit() != 0) {
            home.close();
            throw new IOException("scripts/install failed (" + r.exit() + "): " + r.errText());
        }
        return home;
    }

    /** The repository root (system property {@code jqmail.root}, set by the it module). */
    public static Path repoRoot() {
        String p = System.getProperty("jqmail.root");
        Path root = p != null ? Paths.get(p) : Paths.get("").toAbsolutePath().getParent();
        return root.toAbsolutePath().normalize();
    }

    public static Path installScript() {
        return repoRoot().resolve("scripts").resolve("install");
    }

    /** True when the tests run as root (real users, privilege separation). */
    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** {@code /tmp/jqmail-it} (root) or {@code /tmp/jqmail-it-USER}, mode 0755. */
    static Path base() throws IOException {
        Path base = Paths.get(isRoot() ? "/tmp/jqmail-it" : "/tmp/jqmail-it-" + System.getProperty("user.name"));
        Files.createDirectories(base);
        traversable(base);
        return base;
    }

    private static void traversable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    // ---- paths ---------------------------------------------------------------------------

    /** The scratch directory holding {@link #prefix()} and {@link #logs()}. */
    public Path dir() {
        return dir;
    }

    /** QMAILHOME of this installation. */
    public Path prefix() {
        return prefix;
    }

    public Path bin() {
        return prefix.resolve("bin");
    }

    public Path bin(String program) {
        return bin().resolve(program);
    }

    public Path control() {
        return prefix.resolve("control");
    }

    public Path queue() {
        return prefix.resolve("queue");
    }

    public Path alias() {
        return prefix.resolve("alias");
    }

    public Path users() {
        return prefix.resolve("users");
    }

    public Path etc() {
        return prefix.resolve("etc");
    }

    public Path lib() {
        return prefix.resolve("lib");
    }

    public Path sock() {
        return prefix.resolve("sock");
    }

    public Path service() {
        return prefix.resolve("service");
    }

    /** Where {@link #start} puts each process's stdout and stderr. */
    public Path logs() {
        return logs;
    }

    /** True if {@code bin/PROGRAM} was installed (its main class is built). */
    public boolean has(String program) {
        return Files.isExecutable(bin(program));
    }

    /**
     * Writes {@code control/NAME} (mode 0644) with exactly {@code text} (ISO-8859-1); add the
     * final newline yourself when the test wants one.
     */
    public Path control(String name, String text) throws IOException {
        Path p = control().resolve(name);
        Files.write(p, text.getBytes(ISO_8859_1));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        return p;
    }

    // ---- processes -----------------------------------------------------------------------

    /** A started program: its pid, its stdin, and the files holding its stdout and stderr. */
    public static final class Proc {
        private final String name;
        private final Process process;
        private final Path out;
        private final Path err;

        Proc(String name, Process process, Path out, Path err) {
            this.name = name;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        public String name() {
            return name;
        }

        public long pid() {
            return process.pid();
        }

        public Process process() {
            return process;
        }

        /** The process's stdin (a pipe). */
        public OutputStream stdin() {
            return process.getOutputStream();
        }

        public Path outFile() {
            return out;
        }

        public Path errFile() {
            return err;
        }

        /** Everything it wrote to stdout so far, as ISO-8859-1. */
        public String out() {
            return read(out);
        }

        /** Everything it wrote to stderr so far, as ISO-8859-1. */
        public String err() {
            return read(err);
        }

        public boolean alive() {
            return process.isAlive();
        }

        /** Waits for it to exit; returns its exit status or throws AssertionError after timeout. */
        public int waitFor(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " (pid " + pid() + ") still running after " + timeout
                        + "; stderr: " + err());
            }
            return process.exitValue();
        }

        private static String read(Path p) {
            try {
                return new String(Files.readAllBytes(p), ISO_8859_1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return name + "[" + pid() + "]";
        }
    }

    /** Starts a program with this JVM's environment, in the prefix directory. */
    public Proc start(String... argv) throws IOException {
        return start(null, argv);
    }

    /**
     * Starts a program. {@code env}, if not null, is its whole environment (as {@code env -}
     * would give it); otherwise it inherits this JVM's. The working directory is the prefix.
     */
    public synchronized Proc start(Map<String, String> env, String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(Arrays.asList(argv));
        if (!cmd.get(0).contains("/")) {
            cmd.set(0, bin(cmd.get(0)).toString());
        }
        String name = Paths.get(cmd.get(0)).getFileName().toString();
        int n = ++started;
        Path out = logs.resolve(n + "-" + name + ".out");
        Path err = logs.resolve(n + "-" + name + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(prefix.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Proc p = new Proc(name, pb.start(), out, err);
        procs.add(p);
        return p;
    }

    /**
     * Stops a process started here: SIGTERM to its pid, then SIGKILL if it has not exited
     * within 10 seconds. Returns its exit status.
     */
    public int stop(Proc p) throws InterruptedException {
        Process pr = p.process();
        if (pr.isAlive()) {
            pr.destroy();
            if (!pr.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                pr.destroyForcibly();
                pr.waitFor();
            }
        }
        synchronized (this) {
            procs.remove(p);
        }
        return pr.exitValue();
    }

    /** The result of a program run to completion by {@link #exec}. */
    public record Result(int exit, byte[] out, byte[] err) {
        public String outText() {
            return new String(out, ISO_8859_1);
        }

        public String errText() {
            return new String(err, ISO_8859_1);
        }
    }

    /**
     * Runs a command to completion with {@code stdin} (null: none) and returns its exit status
     * and output; throws AssertionError (after killing it) if it outlives {@code limit}.
     */
    public static Result exec(List<String> argv, byte[] stdin, Duration limit) throws IOException {
        Process p = new ProcessBuilder(argv).start();
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        } catch (IOException e) {
            // It did not read all of its input; its exit status tells the rest.
        }
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(argv + " still running after " + limit);
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv, e);
        }
    }

    /** Runs {@code bin/PROGRAM ARGS} (or any command with a slash) in the prefix directory. */
    public Result run(byte[] stdin, String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(Arrays.asList(argv));
        if (!cmd.get(0).contains("/")) {
            cmd.set(0, bin(cmd.get(0)).toString());
        }
        return exec(cmd, stdin, Duration.ofMinutes(1));
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (in) {
                in.transferTo(b);
            } catch (IOException e) {
                // Keep what was read.
            }
            return b.toByteArray();
        });
    }

    /**
     * Polls {@code condition} every 20 ms until it is true; throws AssertionError when
     * {@code timeout} has passed. Exceptions from the condition count as false.
     */
    public static void await(Callable<Boolean> condition, Duration timeout) throws InterruptedException {
        await("condition", condition, timeout);
    }

    /** As {@link #await(Callable, Duration)}, naming what was awaited in the failure. */
    public static void await(String what, Callable<Boolean> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        for (;;) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError a = new AssertionError("timed out after " + timeout + " waiting for " + what);
                if (last != null) {
                    a.initCause(last);
                }
                throw a;
            }
            Thread.sleep(20);
        }
    }

    /** A free TCP port on 127.0.0.1 (ephemeral range). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ---- users ---------------------------------------------------------------------------

    /**
     * Makes sure a login user NAME exists (root only; the test is skipped otherwise) and
     * returns its home. A new user gets its own group and the home
     * {@code /tmp/jqmail-it/users/NAME}; a missing home under that directory is recreated.
     * Homes are owned by the user, mode 0755, in a world-traversable directory. Users are
     * shared between the tests of one run; every account this JVM created is removed, with its
     * home, when the JVM ends ({@link #removeAtExit}), so a run leaves no users behind.
     */
    public static Path ensureUser(String name) throws IOException {
        Assumptions.assumeTrue(isRoot(), "creating users needs root");
        Path users = base().resolve("users");
        Files.createDirectories(users);
        traversable(users);
        Result pw = exec(List.of("getent", "passwd", name), null, Duration.ofSeconds(30));
        Path home;
        if (pw.exit() == 0) {
            String[] f = pw.outText().trim().split(":", -1);
            home = Paths.get(f[5]);
            if (!home.startsWith(users) || Files.isDirectory(home)) {
                return home;
            }
        } else {
            home = users.resolve(name);
            // The same lock scripts/install takes: useradd refuses to wait for another one.
            Result r = exec(List.of("flock", "-w", "120", "/run/lock/jqmail-install.lock",
                    "useradd", "--no-create-home", "--user-group", "--home-dir", home.toString(),
                    "--shell", "/bin/sh", name), null, Duration.ofMinutes(3));
            if (r.exit() != 0 && exec(List.of("getent", "passwd", name), null, Duration.ofSeconds(30)).exit() != 0) {
                throw new IOException("useradd " + name + " failed: " + r.errText());
            }
            if (r.exit() == 0) {
                removeAtExit(name, home);
            }
        }
        Files.createDirectories(home);
        Result r = exec(List.of("chown", name + ":" + gid(name), home.toString()), null, Duration.ofSeconds(30));
        if (r.exit() != 0) {
            throw new IOException("chown " + home + " failed: " + r.errText());
        }
        traversable(home);
        return home;
    }

    private static final Map<String, Path> CREATED = new java.util.LinkedHashMap<>();

    /**
     * Removes the test account {@code name} (made by this JVM) and its home {@code home} when
     * the JVM ends: {@code userdel} under the lock the installs take, which refuses while a
     * process of the user still runs (then the account stays; the next run reuses it).
     */
    static synchronized void removeAtExit(String name, Path home) {
        if (CREATED.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(TestHome::removeCreated, "remove test accounts"));
        }
        CREATED.put(name, home);
    }

    private static synchronized void removeCreated() {
        for (Map.Entry<String, Path> e : CREATED.entrySet()) {
            try {
                Result r = userdel(e.getKey());
                if (r.exit() != 0) {
                    // userdel refuses while the account has processes: a delivery a test's
                    // daemons started as it and left running. They are ours; end them by pid.
                    for (long pid : processesOf(e.getKey())) {
                        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    }
                    Thread.sleep(500);
                    r = userdel(e.getKey());
                }
                if (r.exit() == 0 && e.getValue() != null) {
                    deleteTree(e.getValue());
                }
            } catch (IOException | RuntimeException | AssertionError x) {
                // Left behind for the next run to reuse; nothing else to do at exit.
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Result userdel(String name) throws IOException {
        return exec(List.of("flock", "-w", "120", "/run/lock/jqmail-install.lock", "userdel", name), null,
                Duration.ofMinutes(3));
    }

    /** The pids of the processes whose real uid is {@code name}'s. */
    private static List<Long> processesOf(String name) throws IOException {
        String uid = Integer.toString(uid(name));
        List<Long> out = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(Paths.get("/proc"))) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                if (f.isEmpty() || !Character.isDigit(f.charAt(0))) {
                    continue;
                }
                try {
                    for (String line : Files.readAllLines(p.resolve("status"), ISO_8859_1)) {
                        if (line.startsWith("Uid:")) {
                            if (line.substring(4).trim().split("\\s+")[0].equals(uid)) {
                                out.add(Long.parseLong(f));
                            }
                            break;
                        }
                    }
                } catch (IOException | NumberFormatException gone) {
                    // The process ended meanwhile.
                }
            }
        }
        return out;
    }

    /** The uid of a user (by {@code id -u}). */
    public static int uid(String user) throws IOException {
        return idNumber("-u", user);
    }

    /** The primary gid of a user (by {@code id -g}). */
    public static int gid(String user) throws IOException {
        return idNumber("-g", user);
    }

    private static int idNumber(String flag, String user) throws IOException {
        Result r = exec(List.of("id", flag, user), null, Duration.ofSeconds(30));
        if (r.exit() != 0) {
            throw new IOException("no such user " + user + ": " + r.errText());
        }
        return Integer.parseInt(r.outText().trim());
    }

    /**
     * Writes {@code users/assign} (mode 0644) with {@code text} and, if {@code bin/qmail-newu}
     * is installed, runs it (failing the test if it fails). Returns true if {@code users/cdb}
     * was compiled. Example mapping every local address to the alias user of this prefix:
     * {@code "+:alias:UID:GID:" + home.alias() + ":-::\n.\n"}.
     */
    public boolean usersAssign(String text) throws IOException {
        Path assign = users().resolve("assign");
        Files.write(assign, text.getBytes(ISO_8859_1));
        Files.setPosixFilePermissions(assign, PosixFilePermissions.fromString("rw-r--r--"));
        if (!has("qmail-newu")) {
            return false;
        }
        Result r = run(null, "qmail-newu");
        if (r.exit() != 0) {
            throw new AssertionError("qmail-newu exited " + r.exit() + ": " + r.errText());
        }
        return true;
    }

    // ---- cleanup -------------------------------------------------------------------------

    /** Stops every process started here (by pid) and deletes the scratch directory. */
    @Override
    public void close() throws IOException {
        List<Proc> mine;
        synchronized (this) {
            mine = new ArrayList<>(procs);
        }
        for (Proc p : mine) {
            try {
                stop(p);
            } catch (InterruptedException e) {
                p.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path top) throws IOException {
        if (!Files.exists(top)) {
            return;
        }
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
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
