package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jqmail.control.QueueClient;
import org.junit.jupiter.api.Test;

/**
 * Crash safety of qmail-queued (doc/ARCHITECTURE.md §3, doc/QUEUE.md §3): while several clients
 * submit messages of up to 256 KB as fast as they can, the server is killed with SIGKILL at random
 * moments and restarted. Afterwards every submission that was answered with success must be
 * complete in the queue (todo envelope and mess file byte for byte), and everything in
 * {@code todo/} must be a complete message of some submission: no partial file is ever
 * visible there. Submissions cut off by a crash may or may not be queued; that is allowed.
 */
class QueueCrashIT {
    private static final int CLIENTS = 4;
    private static final int KILLS = 8;
    private static final Pattern RECEIVED =
            Pattern.compile("Received: \\(qmail (\\d+) invoked by uid (\\d+)\\); [^\n]+ -0000\n");

    /** The message of submission {@code qp}: deterministic, so it can be checked afterwards. */
    private static byte[] message(long qp) {
        Random r = new Random(qp);
        int size = 1 + r.nextInt(256 * 1024);
        StringBuilder sb = new StringBuilder(size + 64);
        sb.append("Subject: crash ").append(qp).append("\n\n");
        while (sb.length() < size) {
            sb.append((char) ('a' + r.nextInt(26)));
            if (r.nextInt(70) == 0) {
                sb.append('\n');
            }
        }
        sb.append("\nEND ").append(qp).append('\n');
        return sb.toString().getBytes(ISO_8859_1);
    }

    private static String envelope(long qp) {
        return "Fsender-" + qp + "@example.org\0Trcpt-" + qp + "@test.example\0";
    }

    @Test
    void everyAcknowledgedSubmissionSurvivesSigkill() throws Exception {
        try (ReceiveRig rig = ReceiveRig.create()) {
            Path socket = rig.socket();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger next = new AtomicInteger(1_000_000);
            Map<Long, Boolean> ok = new ConcurrentHashMap<>();
            AtomicInteger failed = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        long qp = next.getAndIncrement();
                        if (submit(socket, qp)) {
                            ok.put(qp, true);
                        } else {
                            failed.incrementAndGet();
                        }
                    }
                });
                t.start();
                clients.add(t);
            }
            Random r = new Random(42);
            for (int k = 0; k < KILLS; k++) {
                int before = ok.size();
                long deadline = System.nanoTime() + 20_000_000_000L;
                // Let a few submissions succeed, then kill at a random moment.
                while (ok.size() < before + 3 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                Thread.sleep(r.nextInt(150));
                rig.killQueued();
                rig.startQueued();
            }
            stop.set(true);
            for (Thread t : clients) {
                t.join(60_000);
            }
            assertTrue(ok.size() > KILLS * 3, "successes: " + ok.size());
            assertTrue(failed.get() > 0, "no submission was cut off by a kill");
            long uid = TestHome.uid(System.getProperty("user.name"));
            Map<Long, ReceiveRig.Queued> todo = new java.util.HashMap<>();
            // The qp is the kernel's word (SO_PEERCRED): this JVM's pid for every submission.
            // Which submission a file holds is told by the number in its envelope.
            long pid = ProcessHandle.current().pid();
            Pattern p = Pattern.compile("\0Fsender-(\\d+)@");
            for (Path t : rig.todo()) {
                ReceiveRig.Queued q = rig.read(t);
                Matcher m = p.matcher(q.todoText());
                assertTrue(m.find(), "todo without F record: " + t);
                long n = Long.parseLong(m.group(1));
                check(q, n, uid, pid);
                assertTrue(todo.put(n, q) == null, "queued twice: " + n);
            }
            for (long qp : ok.keySet()) {
                assertTrue(todo.containsKey(qp), "acknowledged but lost: " + qp);
            }
            System.out.println("QueueCrashIT: " + KILLS + " kills, " + ok.size() + " acknowledged, "
                    + failed.get() + " cut off, " + todo.size() + " in todo/");
        }
    }

    private static void check(ReceiveRig.Queued q, long n, long uid, long pid) {
        assertEquals("u" + uid + "\0p" + pid + "\0" + envelope(n), q.todoText(), "todo of " + n);
        Matcher m = RECEIVED.matcher(q.messText());
        assertTrue(m.lookingAt(), "Received line of " + n);
        assertEquals(Long.toString(pid), m.group(1));
        assertEquals(Long.toString(uid), m.group(2));
        assertEquals(new String(message(n), ISO_8859_1), q.messText().substring(m.end()), "mess of " + n);
    }

    /** One submission over the socket; true if qmail-queued answered success. */
    private static boolean submit(Path socket, long qp) {
        QueueClient qc;
        try {
            qc = QueueClient.openSocket(socket, qp);
        } catch (IOException e) {
            // The server is down (being restarted): back off instead of spinning, so the
            // restart gets the machine's CPUs.
            try {
                Thread.sleep(10);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
        byte[] m = message(qp);
        for (int off = 0; off < m.length; off += 8192) {
            qc.put(m, off, Math.min(8192, m.length - off));
        }
        String[] env = envelope(qp).split("\0");
        qc.from(env[0].substring(1).getBytes(ISO_8859_1));
        qc.to(env[1].substring(1).getBytes(ISO_8859_1));
        return qc.close().isEmpty();
    }
}
