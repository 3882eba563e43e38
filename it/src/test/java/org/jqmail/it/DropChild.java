package org.jqmail.it;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.jqmail.io.Errors;
import org.jqmail.io.Fds;
import org.jqmail.io.Prot;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;

/**
 * The child side of {@link PrivilegeDropIT}, run as its own JVM as root: starts extra threads,
 * drops to {@code nobody}/{@code nogroup} with {@link Prot} (explicit groups, or with
 * argument {@code initgroups} nobody's groups from the group database), then reports on fd 1 the
 * {@code Uid:}, {@code Gid:} and {@code Groups:} lines of every thread
 * ({@code task TID | Uid:... | Gid:... | Groups:...}) and how attempts to regain root fared
 * ({@code regain WHAT errno N}, or {@code regain WHAT succeeded}).
 *
 * <p>Everything used after the drop is loaded before it: the class path (under /root) is
 * unreadable to nobody.
 */
public final class DropChild {
    private static final int EXTRA_THREADS = 4;

    private DropChild() {
    }

    public static void main(String[] args) throws Exception {
        Posix px = Nat.posix();
        int uid = px.getpwnam("nobody").uid();
        int gid = px.getgrnam("nogroup").gid();
        CountDownLatch started = new CountDownLatch(EXTRA_THREADS);
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < EXTRA_THREADS; i++) {
            Thread t = new Thread(() -> {
                started.countDown();
                awaitQuietly(done);
            }, "extra-" + i);
            t.setDaemon(true);
            t.start();
        }
        started.await();
        StringBuilder out = new StringBuilder();
        regain(px, out, "warm-up", -1); // loads the failure path before the drop
        out.setLength(0);
        if (args.length > 0 && args[0].equals("initgroups")) {
            Prot.drop(px, "nobody", uid, gid);
        } else {
            Prot.drop(px, uid, gid, new int[] {gid});
        }
        for (Path task : tasks()) {
            out.append("task ").append(task.getFileName());
            for (String line : Files.readAllLines(task.resolve("status"))) {
                if (line.startsWith("Uid:") || line.startsWith("Gid:") || line.startsWith("Groups:")) {
                    out.append(" | ").append(line.replace('\t', ' ').trim());
                }
            }
            out.append('\n');
        }
        regain(px, out, "setuid", 0);
        Thread other = new Thread(() -> regain(px, out, "setuid-other-thread", 0));
        other.start();
        other.join();
        try {
            px.setgroups(new int[] {0});
            out.append("regain setgroups succeeded\n");
        } catch (Errors.ErrnoException e) {
            out.append("regain setgroups errno ").append(e.errno()).append('\n');
        }
        done.countDown();
        OutputStream o = Fds.out(1);
        o.write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
        o.flush();
    }

    private static Path[] tasks() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            return s.sorted().toArray(Path[]::new);
        }
    }

    private static synchronized void regain(Posix px, StringBuilder out, String what, int uid) {
        try {
            px.setuid(uid);
            out.append("regain ").append(what).append(" succeeded\n");
        } catch (IOException e) {
            out.append("regain ").append(what).append(" errno ")
                    .append(e instanceof Errors.ErrnoException x ? x.errno() : -1).append('\n');
        }
    }

    private static void awaitQuietly(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
