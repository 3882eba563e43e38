// SPDX-License-Identifier: Unlicense
package org.jqmail.queue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jqmail.control.QueueExit;
import org.jqmail.io.SubstdioIn;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One queue insertion per operation through qmail-queued's queue sequence ({@link Enqueue},
 * doc/QUEUE.md §3): pid file, link to {@code mess/S/N}, Received line and a 2 KB message written
 * and fsynced, {@code intd/N} with {@code u}/{@code p}/{@code F}/{@code T} written and fsynced,
 * link to {@code todo/N}; the trigger is a no-op. The score is insertions per second of one
 * thread.
 *
 * <p>The queue writer has no switch to leave out its fsyncs, so {@code fs} chooses where the
 * scratch queue lives instead: {@code disk} (a directory under {@code java.io.tmpdir}, a real
 * disk here, where each fsync waits for the device) or {@code tmpfs} ({@code /dev/shm}, where
 * fsync returns at once). The difference is what the two fsyncs cost; the tmpfs figure is the
 * CPU cost of the sequence itself. The queue files are removed after each iteration.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QueueWriteBench {
    /** Where the scratch queue is: disk (java.io.tmpdir) or tmpfs (/dev/shm). */
    @Param({"disk", "tmpfs"})
    public String fs;

    /** Message bytes after the Received line. */
    @Param({"2048"})
    public int size;

    private ScratchQueue scratch;
    private Enqueue enqueue;
    private byte[] message;
    private byte[] envelope;
    private final byte[] who = "from network".getBytes(StandardCharsets.ISO_8859_1);
    private long qp = 1;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        scratch = new ScratchQueue(fs, "jqmail-jmh-queue");
        enqueue = new Enqueue(scratch.queue, ScratchQueue.SPLIT, () -> { });
        message = ScratchQueue.message(size);
        envelope = "Floadgen@client.test\0Tjqbench@bench.test\0\0".getBytes(StandardCharsets.ISO_8859_1);
    }

    @Benchmark
    public int insert() {
        ByteArrayInputStream msg = new ByteArrayInputStream(message);
        Enqueue.Job job = new Enqueue.Job(1001, qp++, who, 810362814L);
        QueueExit code = enqueue.run(job, msg::read, new SubstdioIn(new ByteArrayInputStream(envelope), 2048), () -> false);
        if (code != QueueExit.OK) {
            throw new IllegalStateException("queue insertion failed with exit code " + code);
        }
        return code.code();
    }

    /** Empties the queue so its directories do not grow from one iteration to the next. */
    @TearDown(Level.Iteration)
    public void empty() throws IOException {
        scratch.empty();
    }

    @TearDown(Level.Trial)
    public void teardown() throws IOException {
        scratch.delete();
    }
}
