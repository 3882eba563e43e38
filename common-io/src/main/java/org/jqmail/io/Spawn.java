package org.jqmail.io;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jqmail.io.nat.Posix;
import org.jqmail.io.nat.WaitStatus;

/**
 * A child process with an exact descriptor map, the way qmail wires its programs together:
 * qmail-start's pipes on fds 0..6 of qmail-send and its helpers, {@code $QMAILQUEUE} with the
 * message on 0, the envelope on 1 and the error channel on 6.
 *
 * <p>Synopsis: {@code new Spawn(px, path, argv)}, then for each child descriptor one of
 * {@link #pipeTo} (the child reads it, this process writes {@link #to}), {@link #pipeFrom}
 * (the child writes it, this process reads {@link #from}), {@link #inherit} (a copy of one of
 * this process's descriptors) or nothing (closed); optionally {@link #env} and {@link #cwd};
 * then {@link #start}, and finally {@link #waitFor}. The caller closes the streams it got.
 *
 * <p>Every descriptor above the highest one wired is closed in the child, its signal mask is
 * empty and its signal dispositions are the defaults ({@link Posix#spawn}). The parent's pipe
 * ends become ordinary Java streams by reopening {@code /dev/fd/N}, after which the raw
 * descriptor is closed; the input streams never seek ({@link FdInputStream}).
 *
 * <p>Failure: {@link #start} throws the {@link Errors.ErrnoException} of the failing call
 * (exec failures included: posix_spawn reports them) and leaves nothing open. {@link #kill}
 * after {@link #waitFor} returned does nothing, so a reaped pid is never signalled; a kill that
 * races with a concurrent waitFor has the usual pid-reuse window of any pid-based API.
 *
 * <p>Not thread-safe while being set up; {@link #waitFor} may be called from several threads.
 *
 * <p>See also: qmail-start.c, qmail.c (qmail_open), posix_spawn(3).
 */
public final class Spawn {
    private enum Kind { TO_CHILD, FROM_CHILD, INHERIT }

    /** How one child descriptor is wired; null in {@link #wires} means closed. */
    private record Wire(Kind kind, int parentFd) {
    }

    private final Posix px;
    private final String path;
    private final List<String> argv;
    private Wire[] wires = new Wire[0];
    private List<String> env;
    private String cwd;
    private Closeable[] streams;
    private volatile long pid = -1;
    private volatile WaitStatus status;

    /** A child running {@code path} with {@code argv} (argv[0] included). */
    public Spawn(Posix px, String path, List<String> argv) {
        this.px = px;
        this.path = path;
        this.argv = List.copyOf(argv);
    }

    /** A new pipe: the child reads descriptor {@code fd}, this process writes {@link #to}. */
    public Spawn pipeTo(int fd) {
        return wire(fd, new Wire(Kind.TO_CHILD, -1));
    }

    /** A new pipe: the child writes descriptor {@code fd}, this process reads {@link #from}. */
    public Spawn pipeFrom(int fd) {
        return wire(fd, new Wire(Kind.FROM_CHILD, -1));
    }

    /** Child descriptor {@code fd} is a copy of this process's {@code parentFd}. */
    public Spawn inherit(int fd, int parentFd) {
        if (parentFd < 0) {
            throw new IllegalArgumentException("parent fd " + parentFd);
        }
        return wire(fd, new Wire(Kind.INHERIT, parentFd));
    }

    /** Child descriptor {@code fd} is closed (the default for every descriptor not wired). */
    public Spawn close(int fd) {
        return wire(fd, null);
    }

    /** The child's environment, {@code NAME=value} strings; null (default) inherits ours. */
    public Spawn env(List<String> env) {
        this.env = env == null ? null : List.copyOf(env);
        return this;
    }

    /** The child's working directory; null (default) keeps ours. */
    public Spawn cwd(String cwd) {
        this.cwd = cwd;
        return this;
    }

    private Spawn wire(int fd, Wire w) {
        if (fd < 0 || fd > 1023) {
            throw new IllegalArgumentException("fd " + fd);
        }
        if (streams != null) {
            throw new IllegalStateException("already started");
        }
        if (fd >= wires.length) {
            wires = Arrays.copyOf(wires, fd + 1);
        }
        wires[fd] = w;
        return this;
    }

    /** Creates the pipes and starts the child. */
    public Spawn start() throws IOException {
        if (streams != null) {
            throw new IllegalStateException("already started");
        }
        int n = wires.length;
        int[] map = new int[n];
        Arrays.fill(map, -1);
        Closeable[] ours = new Closeable[n];
        List<Integer> childEnds = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Wire w = wires[i];
                if (w == null) {
                    continue;
                }
                if (w.kind == Kind.INHERIT) {
                    map[i] = w.parentFd;
                    continue;
                }
                int[] p = px.pipe();
                boolean toChild = w.kind == Kind.TO_CHILD;
                map[i] = toChild ? p[0] : p[1];
                childEnds.add(map[i]);
                int mine = toChild ? p[1] : p[0];
                try {
                    ours[i] = toChild ? new FileOutputStream(Fds.devFd(mine))
                            : new FdInputStream(new FileInputStream(Fds.devFd(mine)));
                } finally {
                    px.close(mine);
                }
            }
            pid = px.spawn(path, argv, env, map, cwd);
        } catch (IOException | RuntimeException e) {
            closeAll(ours, e);
            throw e;
        } finally {
            for (int fd : childEnds) {
                px.close(fd);
            }
        }
        streams = ours;
        return this;
    }

    private static void closeAll(Closeable[] cs, Exception cause) {
        for (Closeable c : cs) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** The stream writing to the child's descriptor {@code fd} (wired with {@link #pipeTo}). */
    public OutputStream to(int fd) {
        return (OutputStream) stream(fd, Kind.TO_CHILD);
    }

    /** The stream reading the child's descriptor {@code fd} (wired with {@link #pipeFrom}). */
    public InputStream from(int fd) {
        return (InputStream) stream(fd, Kind.FROM_CHILD);
    }

    private Closeable stream(int fd, Kind kind) {
        if (streams == null) {
            throw new IllegalStateException("not started");
        }
        if (fd < 0 || fd >= wires.length || wires[fd] == null || wires[fd].kind != kind) {
            throw new IllegalArgumentException("fd " + fd + " is not a pipe " + kind);
        }
        return streams[fd];
    }

    /** The child's pid; -1 before {@link #start}. */
    public long pid() {
        return pid;
    }

    /** Waits for the child to end (once; later calls return the same status). */
    public synchronized WaitStatus waitFor() throws IOException {
        if (pid < 0) {
            throw new IllegalStateException("not started");
        }
        if (status == null) {
            status = px.waitpid(pid, false);
        }
        return status;
    }

    /** Sends {@code sig} to the child unless it has been waited for already. */
    public void kill(int sig) throws IOException {
        if (pid < 0) {
            throw new IllegalStateException("not started");
        }
        if (status == null) {
            px.kill(pid, sig);
        }
    }
}
