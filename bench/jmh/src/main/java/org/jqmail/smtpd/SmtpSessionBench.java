// SPDX-License-Identifier: Unlicense
package org.jqmail.smtpd;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jqmail.control.Qmail;
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
 * One whole qmail-smtpd session per operation, through the very session code both modes run
 * ({@link Smtpd}): greeting, {@code HELO}, {@code MAIL}, {@code RCPT}, {@code DATA}, a body of
 * {@code size} bytes in 76-character CRLF lines, {@code .}, {@code QUIT}, read from a byte
 * array, replies into a counting sink, the message into a stub queue that only counts bytes.
 * The score is sessions (= messages) per second of one thread.
 *
 * <p>What it includes: the session's per-connection setup as in qmail (control files
 * {@code me} and {@code rcpthosts} read from a scratch QMAILHOME on every session, or
 * through the listener's cache: {@link #controls}), command
 * parsing, address parsing, the rcpthosts check, the Received line, and the DATA loop
 * ({@link Blast}: dot-unstuffing, CRLF handling, hop counting). What it leaves out: sockets,
 * threads, timeouts (no watchdog) and the queue ({@link Queue} is a stub).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SmtpSessionBench {
    /** Body bytes (the message after the headers), as smtp-load.py's sizes. */
    @Param({"2048", "102400"})
    public int size;

    /**
     * How the session reads its control files: {@code files} straight from the file system
     * (tcpserver mode), {@code cache} through the listener's {@link ControlCache} (served from
     * memory while a stat shows them unchanged; the files are settled after the first two
     * seconds of the warm-up).
     */
    @Param({"files", "cache"})
    public String controls;

    private ControlCache cache;

    private Path home;
    private byte[] dialogue;
    private final Map<String, String> env = new HashMap<>();
    private final CountingQmail queue = new CountingQmail();
    private final CountingOut replies = new CountingOut();

    @Setup(Level.Trial)
    public void setup() throws IOException {
        home = Files.createTempDirectory("jqmail-jmh-smtpd");
        Files.createDirectories(home.resolve("control"));
        Files.write(home.resolve("control/me"), bytes("bench.test\n"));
        Files.write(home.resolve("control/rcpthosts"), bytes("bench.test\n"));
        cache = controls.equals("cache") ? ControlCache.forHome(home) : null;
        env.put("TCPREMOTEIP", "127.0.0.1");
        env.put("TCPLOCALIP", "127.0.0.1");
        env.put("TCPLOCALHOST", "bench.test");
        StringBuilder d = new StringBuilder();
        d.append("HELO client.test\r\n");
        d.append("MAIL FROM:<loadgen@client.test>\r\n");
        d.append("RCPT TO:<jqbench@bench.test>\r\n");
        d.append("DATA\r\n");
        d.append("From: <loadgen@client.test>\r\nTo: <jqbench@bench.test>\r\nSubject: bench\r\n\r\n");
        String line = "x".repeat(76) + "\r\n";
        int body = 0;
        while (body + line.length() <= size) {
            d.append(line);
            body += line.length();
        }
        d.append(".\r\n");
        d.append("QUIT\r\n");
        dialogue = bytes(d.toString());
    }

    @TearDown(Level.Trial)
    public void teardown() throws IOException {
        try (Stream<Path> s = Files.walk(home)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public long session() {
        Conn conn = new Conn(new ByteArrayInputStream(dialogue), replies, null, null, null);
        int code = new Smtpd(home, cache, env, conn, queue, () -> 810362814L).run();
        if (code != 0 || queue.lastStatus != 0) {
            throw new IllegalStateException("session ended " + code + " after " + replies.count + " reply bytes");
        }
        return queue.bytes + replies.count;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Replies go nowhere; only their length is kept (so the work is not dead code). */
    private static final class CountingOut extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    /** A queue that accepts every message and keeps only its size. */
    private static final class CountingQmail implements Queue {
        long bytes;
        int lastStatus = -1;

        @Override
        public Qmail open(Map<String, String> env) {
            lastStatus = -1;
            return new Qmail() {
                private boolean failed;

                @Override
                public void put(byte[] b, int off, int n) {
                    bytes += n;
                }

                @Override
                public void fail() {
                    failed = true;
                }

                @Override
                public void from(byte[] sender) {
                    bytes += sender.length;
                }

                @Override
                public void to(byte[] rcpt) {
                    bytes += rcpt.length;
                }

                @Override
                public String close() {
                    lastStatus = failed ? 1 : 0;
                    return failed ? "Zbench queue saw fail()" : "";
                }

                @Override
                public long qp() {
                    return 1;
                }
            };
        }
    }
}
