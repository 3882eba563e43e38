package org.jqmail.io.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One fuzz target: a parser of untrusted bytes, run on its seed corpus and on generated inputs
 * (doc/FAULTS.md, "How to add a target").
 *
 * <p>A target is a test class in the parser's package that extends this class, names its corpus
 * and implements {@link #fuzz}. JUnit runs two tests for it: {@code corpus} runs every file of
 * {@code src/test/resources/fuzz/NAME/} (the seeds and every kept crash, {@code regress-*}), and
 * {@code generated} runs {@code fuzz.tries} inputs made by {@link Mutations} from the seeds, the
 * target's {@link #dictionary} and random bytes, stopping early after {@code fuzz.seconds}. The
 * inputs come from a {@link Random} seeded with {@code fuzz.seed} (default: the target's name),
 * so a run is repeatable; a failure names the seed.
 *
 * <p>An execution passes when {@link #fuzz} returns or throws one of the {@link #refusals}, and
 * when it allocated no more than {@link #allocationBound}. Anything else fails the test with the
 * input, which is also written to {@code target/fuzz-crashes/NAME/}.
 */
public abstract class FuzzTarget {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long SECONDS = Long.getLong("fuzz.seconds", 30);
    private static final long TRIES = Long.getLong("fuzz.tries", 1000);

    private final String name;
    private final List<Class<? extends Throwable>> refusals;
    private List<byte[]> seeds;
    private long executions;
    private long refused;
    private long skipped;

    /**
     * {@code name}: the corpus directory under {@code fuzz/}; {@code refusals}: the exceptions
     * that are the parser's documented answer to bad input.
     */
    @SafeVarargs
    protected FuzzTarget(String name, Class<? extends Throwable>... refusals) {
        this.name = name;
        this.refusals = List.of(refusals);
    }

    /** Parses {@code input}; asserts what must hold of the result (a round trip, bounds). */
    protected abstract void fuzz(byte[] input) throws Exception;

    /** Tokens of the input's language that mutations insert (commands, separators). */
    protected List<byte[]> dictionary() {
        return List.of();
    }

    /** The longest generated input. */
    protected int maxLength() {
        return 4096;
    }

    /** Most bytes one execution on {@code length} input bytes may allocate. */
    protected long allocationBound(int length) {
        return 16L * 1024 * 1024 + 64L * length;
    }

    @Test
    void corpus() throws IOException {
        List<byte[]> files = seeds();
        assertTrue(!files.isEmpty(), "no seed corpus in fuzz/" + name);
        for (byte[] input : files) {
            execute(input);
        }
    }

    @Test
    void generated() throws IOException {
        long seed = Long.getLong("fuzz.seed", name.hashCode());
        Mutations inputs = new Mutations(seeds(), dictionary(), maxLength(), new Random(seed));
        long started = System.nanoTime();
        for (long i = 0; i < TRIES; i++) {
            if (System.nanoTime() - started > SECONDS * 1_000_000_000L) {
                skipped = TRIES - i;
                break;
            }
            byte[] input = inputs.next();
            try {
                execute(input);
            } catch (AssertionError e) {
                throw new AssertionError("input " + i + " of -Dfuzz.seed=" + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private List<byte[]> seeds() throws IOException {
        if (seeds == null) {
            seeds = Corpus.load(getClass(), name);
        }
        return seeds;
    }

    /** Runs one input; fails with the input on a crash or an allocation over the bound. */
    protected final void execute(byte[] input) throws IOException {
        executions++;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            fuzz(input.clone());
        } catch (Throwable t) {
            if (!refused(t)) {
                throw crash(input, t);
            }
            refused++;
        }
        long used = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (used > allocationBound(input.length) && overBoundAgain(input)) {
            throw crash(input, new AssertionError("allocated " + used + " bytes for " + input.length
                    + " input bytes, bound " + allocationBound(input.length)));
        }
    }

    /** A first run may load classes; only a second run over the bound counts. */
    private boolean overBoundAgain(byte[] input) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            fuzz(input.clone());
        } catch (Throwable t) {
            // Already judged above.
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before > allocationBound(input.length);
    }

    private boolean refused(Throwable t) {
        for (Class<? extends Throwable> c : refusals) {
            if (c.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private AssertionError crash(byte[] input, Throwable t) throws IOException {
        Path dir = Path.of("target", "fuzz-crashes", name);
        Files.createDirectories(dir);
        Path file = dir.resolve("crash-" + sha1(input));
        Files.write(file, input);
        AssertionError e = new AssertionError("fuzz target " + name + " crashed on " + Corpus.show(input)
                + "\nkept in " + file.toAbsolutePath() + "; to keep it as a regression test, copy it to"
                + " src/test/resources/fuzz/" + name + "/regress-WHAT (doc/FAULTS.md)", t);
        return e;
    }

    private static String sha1(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One line per test (JUnit makes an instance per test): the figures doc/FAULTS.md reports. */
    @AfterEach
    void report() {
        System.out.println("fuzz " + name + " " + getClass().getSimpleName() + ": " + executions
                + " executions, " + refused + " refused" + (skipped > 0 ? ", " + skipped
                + " inputs skipped after " + SECONDS + " s" : ""));
    }
}
