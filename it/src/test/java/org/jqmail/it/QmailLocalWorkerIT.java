package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jqmail.control.LocalWorkerProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/qmail-local-worker} as a real process speaking {@link LocalWorkerProtocol}: every
 * delivery has the exit code and output the standalone {@code bin/qmail-local} has for the same
 * input, Maildir names stay unique across deliveries, large messages and program deliveries
 * work, and end of input ends the worker with 0.
 */
class QmailLocalWorkerIT {
    private static final String DOMAIN = "test.example";
    private static LocalHome h;
    private Path dir;
    private Path home;
    private Process worker;
    private OutputStream toWorker;
    private InputStream fromWorker;

    @BeforeAll
    static void install() throws IOException {
        h = LocalHome.create();
    }

    @AfterAll
    static void remove() throws IOException {
        if (h != null) {
            h.close();
        }
    }

    @BeforeEach
    void start() throws IOException {
        dir = h.scratch("w-");
        home = dir.resolve("home");
        worker = new ProcessBuilder(h.bin("qmail-local-worker").toString())
                .redirectError(Redirect.appendTo(dir.resolve("worker.err").toFile())).start();
        toWorker = new BufferedOutputStream(worker.getOutputStream());
        fromWorker = new BufferedInputStream(worker.getInputStream());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (worker.isAlive()) {
            worker.destroyForcibly();
            worker.waitFor();
        }
    }

    private void qmail(String name, String content) throws IOException {
        Files.write(home.resolve(name), content.getBytes(ISO_8859_1));
        Files.setPosixFilePermissions(home.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
    }

    private List<String> args(String ext, String sender) {
        return List.of("joe", home.toString(), ext.isEmpty() ? "joe" : "joe-" + ext, ext.isEmpty() ? "" : "-", ext,
                DOMAIN, sender, "./Maildir/");
    }

    private String viaWorker(List<String> args, byte[] message) throws IOException {
        List<byte[]> a = new ArrayList<>();
        for (String s : args) {
            a.add(s.getBytes(ISO_8859_1));
        }
        LocalWorkerProtocol.writeRequest(toWorker, a, message.length);
        toWorker.write(message);
        toWorker.flush();
        LocalWorkerProtocol.Response r = LocalWorkerProtocol.readResponse(fromWorker);
        assertFalse(r.crashed());
        return r.code() + " " + new String(r.output(), ISO_8859_1);
    }

    private String standalone(List<String> args, byte[] message) throws Exception {
        Path m = LocalDelivery.message(dir, new String(message, ISO_8859_1));
        List<String> argv = new ArrayList<>(List.of("--"));
        argv.addAll(args);
        return LocalDelivery.run(h.bin("qmail-local"), m, Map.of(), argv.toArray(new String[0])).toString();
    }

    private List<String> newMail() throws IOException {
        try (Stream<Path> s = Files.list(home.resolve("Maildir/new"))) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void everyDeliveryMatchesTheStandaloneProgram() throws Exception {
        qmail(".qmail-prog", "|echo out; echo err >&2; exit 100\n");
        qmail(".qmail-blank", "\n./Maildir/\n");
        qmail(".qmail-list-default", "./Maildir/\n./mbox\n");
        qmail(".qmail-x", "./Maildir/\n");
        Files.setPosixFilePermissions(home.resolve(".qmail-x"), PosixFilePermissions.fromString("rwxr--r--"));
        byte[] msg = "Subject: s\n\nFrom body\n".getBytes(ISO_8859_1);
        byte[] loop = "Delivered-To: joe@test.example\n\n".getBytes(ISO_8859_1);
        List<Object[]> cases = List.of(
                new Object[] {args("", "a@b"), msg},
                new Object[] {args("nosuch", "a@b"), msg},
                new Object[] {args("prog", "a@b"), msg},
                new Object[] {args("blank", "a@b"), msg},
                new Object[] {args("list-Foo", ""), msg},
                new Object[] {args("x", "a@b"), msg},
                new Object[] {args("", "a@b"), loop},
                new Object[] {List.of("joe", "relative", "joe", "", "", DOMAIN, "", "./Maildir/"), msg},
                new Object[] {List.of("joe", "/nonexistent", "joe", "", "", DOMAIN, "", "./Maildir/"), msg});
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            List<String> a = (List<String>) c[0];
            byte[] m = (byte[]) c[1];
            assertEquals(standalone(a, m), viaWorker(a, m), a.toString());
        }
        toWorker.close();
        assertTrue(worker.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, worker.exitValue());
    }

    @Test
    void maildirNamesStayUniqueWithinOneWorker() throws Exception {
        byte[] msg = "Subject: s\n\n".getBytes(ISO_8859_1);
        for (int i = 0; i < 20; i++) {
            assertEquals("0 did 1+0+0\n", viaWorker(args("", "a@b"), msg));
        }
        List<String> names = newMail();
        assertEquals(20, names.size());
        Set<String> seq = new HashSet<>();
        for (String n : names) {
            assertTrue(n.matches("[0-9]+\\.[0-9]+_[0-9]+\\..+"), n);
            seq.add(n.split("\\.")[1]);
        }
        assertEquals(20, seq.size());
    }

    @Test
    void largeMessagesAndProgramsGetTheWholeMessage() throws Exception {
        StringBuilder b = new StringBuilder("Subject: big\n\n");
        while (b.length() < 3 << 20) {
            b.append("From line ").append(b.length()).append('\n');
        }
        byte[] big = b.toString().getBytes(ISO_8859_1);
        qmail(".qmail-p", "|cat > stdin.out; cat /dev/stdin > again.out; echo \"$DEFAULT|$LOCAL\"\n");
        qmail(".qmail-p-default", "|echo \"$DEFAULT|$LOCAL\"\n");
        assertEquals("0 did 1+0+0\n", viaWorker(args("", "a@b"), big));
        assertEquals("0 |joe-p\ndid 0+0+1\n", viaWorker(args("p", "a@b"), big));
        assertEquals(b.toString(), new String(Files.readAllBytes(home.resolve("stdin.out")), ISO_8859_1));
        assertEquals(b.toString(), new String(Files.readAllBytes(home.resolve("again.out")), ISO_8859_1));
        assertEquals("0 X|joe-p-X\ndid 0+0+1\n", viaWorker(args("p-X", "a@b"), "x".getBytes(ISO_8859_1)));
        assertEquals("0 |joe-p\ndid 0+0+1\n", viaWorker(args("p", "a@b"), "y".getBytes(ISO_8859_1)));
        String stored = new String(Files.readAllBytes(home.resolve("Maildir/new").resolve(newMail().get(0))), ISO_8859_1);
        assertEquals("Return-Path: <a@b>\nDelivered-To: joe@test.example\n" + b, stored);
        assertEquals("y", new String(Files.readAllBytes(home.resolve("stdin.out")), ISO_8859_1));
        assertEquals("y", new String(Files.readAllBytes(home.resolve("again.out")), ISO_8859_1));
    }
}
