package org.jqmail.send;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.jqmail.control.Qmail;
import org.jqmail.control.SpawnCommand;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.SubstdioIn;
import org.jqmail.send.clean.Cleaner;

/**
 * Runs the real qmail-send loop in-process against stand-in spawns (threads answering the
 * doc/PROTOCOLS.md §3 protocol with scripted reports), the real qmail-clean loop, and a bounce
 * injector that records what it was given.
 */
final class SendHarness implements AutoCloseable {
    /** A submitted bounce. */
    record Injected(byte[] message, byte[] sender, List<byte[]> recipients) {
    }

    final QueueFixture f;
    final List<SpawnCommand>[] commands;
    final List<Injected> injected = Collections.synchronizedList(new ArrayList<>());
    private final Function<SpawnCommand, String>[] responders;
    private final int[] announce = {120, 120};
    private final OutputStream[] spawnOut = new OutputStream[2];
    private final InputStream[] spawnIn = new InputStream[2];
    private final OutputStream[] spawnReply = new OutputStream[2];
    private final List<Thread> threads = new ArrayList<>();
    Send send;
    private Thread sendThread;
    volatile int exit = -1;
    volatile boolean mutexFree = true;
    volatile String qqStatus = "";

    @SuppressWarnings("unchecked")
    SendHarness(Path home) throws IOException {
        f = new QueueFixture(home);
        f.clock.t = System.currentTimeMillis() / 1000;
        commands = new List[] {Collections.synchronizedList(new ArrayList<>()),
            Collections.synchronizedList(new ArrayList<>())};
        responders = new Function[] {c -> "Kdid 1+0+0\n", c -> "Kok\n"};
    }

    SendHarness respond(int channel, Function<SpawnCommand, String> r) {
        responders[channel] = r;
        return this;
    }

    SendHarness announce(int channel, int value) {
        announce[channel] = value;
        return this;
    }

    void start() throws IOException {
        for (int c = 0; c < 2; c++) {
            Pipe cmd = Pipe.open();
            Pipe rep = Pipe.open();
            spawnOut[c] = Channels.newOutputStream(cmd.sink());
            spawnIn[c] = Channels.newInputStream(rep.source());
            spawnReply[c] = Channels.newOutputStream(rep.sink());
            int ch = c;
            InputStream cmdIn = Channels.newInputStream(cmd.source());
            thread(() -> spawn(ch, cmdIn));
        }
        Pipe req = Pipe.open();
        Pipe rep = Pipe.open();
        InputStream reqIn = Channels.newInputStream(req.source());
        OutputStream repOut = Channels.newOutputStream(rep.sink());
        thread(() -> new Cleaner(f.queue, QueueFixture.SPLIT, f.clock::now).run(reqIn, repOut));
        send = new Send(new Send.Io(f.logBytes, spawnOut, spawnIn, Channels.newOutputStream(req.sink()),
                Channels.newInputStream(rep.source()), f.home, QueueFixture.SPLIT, p -> mutexFree,
                this::open, f.clock));
        sendThread = thread(() -> exit = send.run());
    }

    private Thread thread(Runnable r) {
        Thread t = new Thread(r);
        t.setDaemon(true);
        t.start();
        threads.add(t);
        return t;
    }

    private void spawn(int c, InputStream cmdIn) {
        try {
            if (announce[c] < 0) {
                spawnReply[c].close();
                return;
            }
            spawnReply[c].write(announce[c]);
            SubstdioIn ss = new SubstdioIn(cmdIn, 1024);
            SpawnCommand cmd;
            while ((cmd = SpawnCommand.read(ss)) != null) {
                commands[c].add(cmd);
                String r = responders[c].apply(cmd);
                if (r != null) {
                    reply(c, cmd.slot(), r);
                }
            }
        } catch (IOException e) {
            // The test is over.
        }
    }

    /** Sends a report for {@code slot} on channel {@code c}. */
    synchronized void reply(int c, int slot, String text) throws IOException {
        ByteBuf b = new ByteBuf(text.length() + 2);
        b.append(slot).append(text).append(0);
        spawnReply[c].write(b.toByteArray());
        spawnReply[c].flush();
    }

    /** Makes channel {@code c}'s spawn vanish (end of its report pipe). */
    void killSpawn(int c) throws IOException {
        spawnReply[c].close();
    }

    private Qmail open() {
        return new Qmail() {
            final ByteArrayOutputStream msg = new ByteArrayOutputStream();
            byte[] from;
            final List<byte[]> to = new ArrayList<>();

            @Override
            public void put(byte[] b, int off, int n) {
                msg.write(b, off, n);
            }

            @Override
            public void fail() {
                qqStatus = "Zqq read error (#4.3.0)";
            }

            @Override
            public void from(byte[] sender) {
                from = sender;
            }

            @Override
            public void to(byte[] recip) {
                to.add(recip);
            }

            @Override
            public String close() {
                if (qqStatus.isEmpty()) {
                    injected.add(new Injected(msg.toByteArray(), from, to));
                }
                return qqStatus;
            }

            @Override
            public long qp() {
                return 4242;
            }
        };
    }

    /**
     * Waits (at most 20 s) until none of the queue files {@code rel} exists: qmail-send sends
     * its qmail-clean requests without waiting for the replies, so it may end before qmail-clean
     * (here a thread of this harness) has removed the message.
     */
    void awaitGone(java.util.List<String> rel) {
        long end = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < end && rel.stream().anyMatch(f::exists)) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Waits (at most 20 s) until the log has a line equal to {@code line}. */
    void awaitLog(String line) {
        long end = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < end) {
            if (f.logLines().contains(line)) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        fail("log never showed \"" + line + "\"; log was:\n" + String.join("\n", f.logLines()));
    }

    /** Sends TERM and waits for qmail-send to end; returns its exit code. */
    int term() {
        send.signal("TERM");
        return join();
    }

    int join() {
        try {
            sendThread.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sendThread.isAlive()) {
            fail("qmail-send did not exit; log was:\n" + String.join("\n", f.logLines()));
        }
        return exit;
    }

    @Override
    public void close() {
        for (int c = 0; c < 2; c++) {
            try {
                if (spawnOut[c] != null) {
                    spawnOut[c].close();
                }
                if (spawnReply[c] != null) {
                    spawnReply[c].close();
                }
            } catch (IOException e) {
                // Best effort.
            }
        }
    }
}
