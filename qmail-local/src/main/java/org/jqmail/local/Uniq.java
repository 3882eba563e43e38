package org.jqmail.local;

/**
 * Unique Maildir file names, {@code TIME.PID.HOST} as qmail-local makes them (maildir(5)).
 *
 * <p>In qmail each Maildir delivery runs in a fresh child, so its pid makes the name unique.
 * This process delivers in-process: the standalone program names its first Maildir file
 * {@code TIME.PID.HOST} exactly as qmail does, and any further one in the same run
 * {@code TIME.PID_SEQ.HOST}; a warm worker, which makes many deliveries with one pid, always
 * uses {@code TIME.PID_SEQ.HOST} with SEQ counting 1, 2, 3, … over the worker's life. Either
 * way no two names from one process are equal, even within one second. HOST is
 * {@code gethostname()} unchanged (at most 64 bytes), as in qmail.
 *
 * <p>Thread-safe.
 */
final class Uniq {
    private final long pid;
    private final String host;
    private final boolean alwaysSeq;
    private long seq;

    private Uniq(long pid, byte[] host, boolean alwaysSeq) {
        this.pid = pid;
        this.host = Jnu.str(host);
        this.alwaysSeq = alwaysSeq;
    }

    /** Names for the standalone program: plain {@code TIME.PID.HOST} first. */
    static Uniq standalone(Sys sys) {
        return new Uniq(sys.pid(), sys.hostname(), false);
    }

    /** Names for a warm worker: {@code TIME.PID_SEQ.HOST} always. */
    static Uniq worker(Sys sys) {
        return new Uniq(sys.pid(), sys.hostname(), true);
    }

    /** The next name for Unix time {@code now}. */
    synchronized String next(long now) {
        long n = seq++;
        StringBuilder b = new StringBuilder(80).append(now).append('.').append(pid);
        if (alwaysSeq || n > 0) {
            b.append('_').append(n + 1);
        }
        return b.append('.').append(host).toString();
    }
}
