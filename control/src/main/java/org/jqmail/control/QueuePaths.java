package org.jqmail.control;

/**
 * Queue file names ({@code fmtqfn.c}, doc/QUEUE.md §1): split directories {@code mess},
 * {@code info}, {@code local}, {@code remote} hold {@code DIR/(id mod SPLIT)/id}; flat ones
 * {@code todo}, {@code intd}, {@code bounce} hold {@code DIR/id}. Names are relative to
 * {@code queue/}.
 */
public final class QueuePaths {
    private final int split;

    public QueuePaths(int split) {
        if (split < 1) {
            throw new IllegalArgumentException("split " + split);
        }
        this.split = split;
    }

    public int split() {
        return split;
    }

    /** The split subdirectory number of message {@code id}. */
    public long sub(long id) {
        return Long.remainderUnsigned(id, split);
    }

    /** {@code DIR/(id mod SPLIT)/id}. */
    public String split(String dir, long id) {
        return dir + "/" + sub(id) + "/" + Long.toUnsignedString(id);
    }

    /** {@code DIR/id}. */
    public static String flat(String dir, long id) {
        return dir + "/" + Long.toUnsignedString(id);
    }

    public String mess(long id) {
        return split("mess", id);
    }

    public String info(long id) {
        return split("info", id);
    }

    public String local(long id) {
        return split("local", id);
    }

    public String remote(long id) {
        return split("remote", id);
    }

    public static String todo(long id) {
        return flat("todo", id);
    }

    public static String intd(long id) {
        return flat("intd", id);
    }

    public static String bounce(long id) {
        return flat("bounce", id);
    }

    /** The MESSFILE of a spawn command: {@code (id mod SPLIT)/id}, relative to {@code queue/mess}. */
    public String messfile(long id) {
        return sub(id) + "/" + Long.toUnsignedString(id);
    }
}
