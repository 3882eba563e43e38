package org.jqmail.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * The entry skeleton every program's {@code main} follows (doc/CODING.md §1, §2), and the only
 * class that ends the process:
 *
 * <pre>
 * public static void main(String[] args) {
 *     Main.guard(TEMP);                 // any thread's uncaught throwable: halt(TEMP)
 *     int code;
 *     try {
 *         code = run(args);             // the program's work: its exit code
 *     } catch (Throwable t) {
 *         code = Main.failed("prog", t, TEMP);
 *     }
 *     Main.end(code);
 * }
 * </pre>
 *
 * {@code TEMP} is the program's temporary failure (111 for most, as in qmail; 81 for
 * qmail-queue; 0 plus a {@code Z} record for qmail-remote, which always exits 0): the JVM's own
 * status for an uncaught exception is 1, which qmail-lspawn reads as permanent, so one bug
 * would bounce mail. No lambda is involved: each costs a short-lived program its linkage at
 * start-up. Tools that take that cost anyway use {@link #run(String, Callable)}.
 *
 * <p>Every end is {@link Runtime#halt}, never {@link System#exit}: on JDK 21 and later
 * {@code System.exit} first asks for the {@code System.Logger} of {@code java.lang.Runtime},
 * a ServiceLoader search that opens every jar on the class path (some 10 ms of CPU for a program
 * that lives for one message; doc/PERFORMANCE.md §5). Halting loses nothing: jqmail's programs
 * write their output unbuffered or flush it themselves and register no shutdown hooks, and
 * class-data archives are still written at a training run's end. The uncaught-exception handler
 * must halt in any case: it runs on a thread that may die while another holds a lock that exit's
 * shutdown sequence would need, and a half-finished program must not unwind (qmail-queue's
 * "thou shalt not clean up here").
 */
public final class Main {
    private Main() {
    }

    /** Every thread's uncaught throwable ends the process at once with {@code temp}. */
    public static void guard(int temp) {
        Thread.setDefaultUncaughtExceptionHandler(new Halt(temp));
    }

    /**
     * The end of a {@code main} whose body threw {@code t}; returns {@code temp}. A failed read
     * or write ({@link IOException}) is qmail's {@code die()} and says nothing; anything else
     * is a bug and says so in one line on fd 2: {@code PROG: fatal: out of memory} or
     * {@code PROG: fatal: internal error: T}.
     */
    public static int failed(String prog, Throwable t, int temp) {
        if (!(t instanceof IOException) && !(t instanceof UncheckedIOException)) {
            say(prog, t);
        }
        return temp;
    }

    /**
     * The end of a {@code main} whose body threw: the program's own text for it ({@code said}, on
     * {@code to}; for qmail-local its report line, for qmail-remote its {@code Z} record), then
     * {@code temp}.
     */
    public static int failed(OutputStream to, byte[] said, int temp) {
        try {
            to.write(said);
        } catch (IOException e) {
            // Nowhere left to say it; the exit code still tells.
        }
        return temp;
    }

    /**
     * The operator tools' and small helpers' form: runs {@code body} and returns its exit code;
     * any throwable says {@code PROG: fatal: out of memory} or
     * {@code PROG: fatal: internal error: T} on fd 2 and returns 111.
     */
    public static int run(String prog, Callable<Integer> body) {
        try {
            return body.call();
        } catch (Throwable t) {
            say(prog, t);
            return 111;
        }
    }

    private static void say(String prog, Throwable t) {
        if (t instanceof OutOfMemoryError) {
            Out.err(prog + ": fatal: out of memory\n");
        } else {
            Out.err(prog + ": fatal: internal error: " + t + "\n");
        }
    }

    /** Ends the process with {@code code}; never returns (a halt: see the class comment). */
    @SuppressForbidden(reason = "the one place a program ends (doc/CODING.md §2)")
    public static void end(int code) {
        if (TRAINING) {
            throw new Trained(code);
        }
        Runtime.getRuntime().halt(code);
    }

    /**
     * Set ({@code -Djqmail.train=true}) only in install's class-data training runs, where
     * {@link Train} runs several programs in one JVM: there a program's end returns to it.
     */
    static final boolean TRAINING = Boolean.getBoolean("jqmail.train");

    /** The end of a training run ({@link Train}): a halt, as {@link #end} is outside one. */
    @SuppressForbidden(reason = "the end of install's training run")
    static void endTraining(int code) {
        Runtime.getRuntime().halt(code);
    }

    /** A program's end in a training run: unwinds to {@link Train}. */
    static final class Trained extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Trained(int code) {
            super("exit " + code, null, false, false);
        }
    }

    /** The uncaught-exception handler (a named class: no lambda linkage at start-up). */
    private static final class Halt implements Thread.UncaughtExceptionHandler {
        private final int code;

        Halt(int code) {
            this.code = code;
        }

        @Override
        public void uncaughtException(Thread t, Throwable e) {
            end(code);
        }
    }
}
