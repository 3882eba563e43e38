package org.jqmail.io;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The class-data training run of a group of programs (scripts/install, doc/PERFORMANCE.md §4):
 * programs that share one class path and one set of JVM flags share one archive, and this runs
 * each of them in turn in the one recording JVM, so that the archive holds what every one of
 * them loads, not only the first one's classes.
 *
 * <p>Synopsis: {@code java -Djqmail.train=true ... org.jqmail.io.Train CLASS ARG... [;; CLASS
 * ARG...]...}. Each program's {@code main} runs on a thread of its own for at most
 * {@link #EACH_MS} ms (one that waits for input it will never get is left behind); its end
 * ({@link Main#end}) returns here instead of ending the JVM. All programs share this process's
 * descriptors: the first reads the training input on fd 0, the others find it at its end.
 * Never used outside install.
 */
public final class Train {
    /** How long one program may take. */
    static final long EACH_MS = 3000;

    private Train() {
    }

    public static void main(String[] args) {
        int code = 0;
        for (String[] one : split(args)) {
            if (one.length == 0) {
                continue;
            }
            Thread t = new Thread(new One(one), "train " + one[0]);
            t.setDaemon(true);
            t.setUncaughtExceptionHandler(new Ignore());
            t.start();
            try {
                t.join(EACH_MS);
            } catch (InterruptedException e) {
                code = 111;
                break;
            }
        }
        Main.endTraining(code);
    }

    /** The programs of {@code args}: separated by {@code ;;}. */
    static List<String[]> split(String[] args) {
        List<String[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= args.length; i++) {
            if (i == args.length || args[i].equals(";;")) {
                out.add(Arrays.copyOfRange(args, from, i));
                from = i + 1;
            }
        }
        return out;
    }

    /** One program: {@code main(args)} of the class in {@code argv[0]}. */
    private static final class One implements Runnable {
        private final String[] argv;

        One(String[] argv) {
            this.argv = argv;
        }

        @Override
        public void run() {
            try {
                Class.forName(argv[0]).getMethod("main", String[].class)
                        .invoke(null, (Object) Arrays.copyOfRange(argv, 1, argv.length));
            } catch (InvocationTargetException e) {
                // The program ended (Main.Trained) or failed; either way the next one runs.
            } catch (ReflectiveOperationException e) {
                // Not in this class path: nothing to train.
            }
        }
    }

    /** Programs' own threads that fail end nothing here. */
    private static final class Ignore implements Thread.UncaughtExceptionHandler {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
            // Training only.
        }
    }
}
