// SPDX-License-Identifier: Unlicense
package org.jqmail.queue;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jqmail.control.QueueClient;
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
 * One submission per operation the way the SMTP listener's sessions queue mail: the client
 * library ({@link QueueClient#openSocket}) streams a 2 KB message and its envelope over the
 * Unix-domain socket to an in-process qmail-queued ({@link QueueServer}: accept loop, one
 * thread per submission, {@link Submission} framing, {@link Enqueue}) and waits for the answer,
 * given once {@code todo/N} is linked. Compared with {@link QueueWriteBench} it adds the socket
 * protocol and the hand-off to the server's thread. The submitter's uid is fixed (no
 * SO_PEERCRED/getpwnam look-up); {@code fs} is as in {@link QueueWriteBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class QueueSocketBench {
    @Param({"disk", "tmpfs"})
    public String fs;

    private ScratchQueue scratch;
    private Path socket;
    private ServerSocketChannel server;
    private byte[] message;
    private final byte[] sender = "loadgen@client.test".getBytes(StandardCharsets.ISO_8859_1);
    private final byte[] rcpt = "jqbench@bench.test".getBytes(StandardCharsets.ISO_8859_1);

    @Setup(Level.Trial)
    public void setup() throws IOException {
        scratch = new ScratchQueue(fs, "jqmail-jmh-qsock");
        socket = scratch.dir.resolve("sock/qmail-queue");
        server = QueueServer.bind(socket);
        QueueServer qs = new QueueServer(new Enqueue(scratch.queue, ScratchQueue.SPLIT, () -> { }), new Invokers(1, 2, 3),
                ch -> new PeerCred.Cred(1001, 4242), new Admission(new long[] {0, 1, 2, 3}, 100, 100, 100),
                new Submission.Deadlines(30_000_000_000L, 0, 86400_000_000_000L, QueueServer.IDLE_NANOS,
                        QueueServer.GRACE_NANOS), 1000, QueueServer::now);
        Thread t = new Thread(() -> {
            try {
                qs.serve(server);
            } catch (IOException e) {
                // Closed by teardown.
            }
        }, "qmail-queued");
        t.setDaemon(true);
        t.start();
        message = ScratchQueue.message(2048);
    }

    @Benchmark
    public long submit() throws IOException {
        QueueClient qc = QueueClient.openSocket(socket, 0);
        qc.put(message, 0, message.length);
        qc.from(sender);
        qc.to(rcpt);
        String status = qc.close();
        if (!status.isEmpty()) {
            throw new IllegalStateException("submission failed: " + status);
        }
        return qc.qp();
    }

    @TearDown(Level.Iteration)
    public void empty() throws IOException {
        scratch.empty();
    }

    @TearDown(Level.Trial)
    public void teardown() throws IOException {
        server.close();
        scratch.delete();
    }
}
