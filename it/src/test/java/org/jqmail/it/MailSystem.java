package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole local mail system of one {@link TestHome}, started as the README's run command
 * starts it: qmail-queued, the SMTP listener (as qmaild) and {@code qmail-start ./Maildir/}
 * (which becomes qmail-send with qmail-lspawn, qmail-rspawn and qmail-clean), each with a
 * clean environment. Offers an SMTP client, qmail-send's log, and Maildir readers.
 */
final class MailSystem implements AutoCloseable {
    final TestHome home;
    final int port;
    TestHome.Proc queued;
    TestHome.Proc listener;
    TestHome.Proc send;
    private final Map<String, String> extraEnv = new HashMap<>();
    private final List<String> listenerOptions = new ArrayList<>();

    MailSystem(TestHome home) throws IOException {
        this.home = home;
        this.port = TestHome.freePort();
    }

    /** An environment variable for qmail-start (and so for lspawn and every delivery). */
    MailSystem env(String k, String v) {
        extraEnv.put(k, v);
        return this;
    }

    /** Options for the SMTP listener, before its host and port. */
    MailSystem listenerOptions(String... options) {
        listenerOptions.addAll(List.of(options));
        return this;
    }

    Map<String, String> cleanEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", home.bin() + ":/usr/bin:/bin");
        env.putAll(extraEnv);
        return env;
    }

    MailSystem start() throws Exception {
        queued = home.start(cleanEnv(), "qmail-queued");
        TestHome.await("qmail-queued's socket", () -> Files.exists(home.sock().resolve("qmail-queue")),
                Duration.ofSeconds(30));
        List<String> argv = new ArrayList<>(List.of("qmail-smtpd-listener", "-u", "qmaild", "-g", "nofiles",
                "-x", home.etc().resolve("tcp.smtp.cdb").toString()));
        argv.addAll(listenerOptions);
        argv.addAll(List.of("127.0.0.1", Integer.toString(port)));
        listener = home.start(cleanEnv(), argv.toArray(new String[0]));
        startSend();
        TestHome.await("the SMTP listener", () -> {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            }
        }, Duration.ofSeconds(30));
        return this;
    }

    /**
     * The first {@code status:} line qmail-send logs when it is up (concurrencies are the
     * controls' values capped by the spawns' announcements, doc/PROTOCOLS.md §3.1).
     */
    String ready = "status: local 0/10 remote 0/";

    void startSend() throws Exception {
        send = home.start(cleanEnv(), "qmail-start", "./Maildir/");
        awaitLog(ready, Duration.ofSeconds(60));
    }

    /**
     * qmail-send's running children with the main class {@code mainClass} in their command
     * line (qmail-start starts them before it becomes qmail-send, so qmail-send is their
     * parent): waits until exactly one has exec'd its JVM and returns it.
     */
    ProcessHandle daemon(String mainClass) throws InterruptedException {
        ProcessHandle[] hit = new ProcessHandle[1];
        TestHome.await("qmail-send's child " + mainClass, () -> {
            List<ProcessHandle> l = ProcessHandle.of(send.pid()).orElseThrow().children()
                    .filter(h -> h.info().arguments().map(a -> Arrays.asList(a).contains(mainClass)).orElse(false))
                    .toList();
            hit[0] = l.size() == 1 ? l.get(0) : null;
            return hit[0] != null;
        }, Duration.ofSeconds(60));
        return hit[0];
    }

    /** qmail-lspawn, qmail-rspawn and qmail-clean of the running qmail-send. */
    List<ProcessHandle> daemons() throws InterruptedException {
        return List.of(daemon(LSPAWN), daemon(RSPAWN), daemon(CLEAN));
    }

    static final String LSPAWN = "org.jqmail.lspawn.QmailLspawn";
    static final String RSPAWN = "org.jqmail.rspawn.QmailRspawn";
    static final String CLEAN = "org.jqmail.send.clean.QmailClean";

    /** qmail-send's log so far (qmail-start has no logger: it is qmail-start's stdout). */
    List<String> log() {
        return send == null ? List.of() : lines(send.out());
    }

    static List<String> lines(String s) {
        List<String> l = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
        l.remove(l.size() - 1);
        return l;
    }

    /** Waits until a log line starts with {@code prefix}; returns it. */
    String awaitLog(String prefix, Duration timeout) throws InterruptedException {
        return awaitLog(prefix, "", timeout);
    }

    /** Waits until a log line starts with {@code prefix} and contains {@code part}; returns it. */
    String awaitLog(String prefix, String part, Duration timeout) throws InterruptedException {
        String[] hit = new String[1];
        TestHome.await("log line " + prefix + "..." + part, () -> {
            for (String l : log()) {
                if (l.startsWith(prefix) && l.contains(part)) {
                    hit[0] = l;
                    return true;
                }
            }
            return false;
        }, timeout);
        return hit[0];
    }

    /**
     * The log lines of the life of the message queued by qmail-queue {@code qp}: from its
     * {@code new msg N} to the {@code end msg N} that follows (ids are inode numbers, which
     * the file system reuses, so the qp pins the life down). Empty until it has ended.
     */
    List<String> messageLog(String qp) {
        List<String> all = log();
        for (int i = 1; i < all.size(); i++) {
            String l = all.get(i);
            if (l.startsWith("info msg ") && l.contains(" qp " + qp + " uid ")) {
                String id = l.substring("info msg ".length(), l.indexOf(':'));
                int to = all.subList(i, all.size()).indexOf("end msg " + id);
                return to < 0 ? List.of() : all.subList(i - 1, i + to + 1);
            }
        }
        return List.of();
    }

    /**
     * One SMTP transaction; returns the reply to the final dot ({@code 250 ok N qp P}).
     * {@code data} uses LF line ends and is sent with CRLF.
     */
    String smtp(String from, List<String> rcpts, String data) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            cmd(out, in, "HELO it", "250");
            cmd(out, in, "MAIL FROM:<" + from + ">", "250");
            for (String r : rcpts) {
                cmd(out, in, "RCPT TO:<" + r + ">", "250");
            }
            cmd(out, in, "DATA", "354");
            StringBuilder sb = new StringBuilder();
            for (String line : data.split("\n", -1)) {
                sb.append(line.startsWith(".") ? "." + line : line).append("\r\n");
            }
            if (data.endsWith("\n")) {
                sb.setLength(sb.length() - 2);
            }
            sb.append(".\r\n");
            out.write(sb.toString().getBytes(ISO_8859_1));
            String r = expect(in, "250");
            cmd(out, in, "QUIT", "221");
            return r;
        }
    }

    private static void cmd(OutputStream out, InputStream in, String c, String code) throws IOException {
        out.write((c + "\r\n").getBytes(ISO_8859_1));
        out.flush();
        expect(in, code);
    }

    private static String expect(InputStream in, String code) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        if (!sb.toString().startsWith(code)) {
            throw new AssertionError("expected " + code + ", got " + sb);
        }
        return sb.toString();
    }

    /** Waits until the queue holds no message at all (no todo, no info file). */
    void awaitIdle() throws InterruptedException {
        TestHome.await("an empty queue", () -> {
            try (Stream<Path> t = Files.list(home.queue().resolve("todo"));
                 Stream<Path> i = Files.walk(home.queue().resolve("info"))) {
                return t.findAny().isEmpty() && i.filter(Files::isRegularFile).findAny().isEmpty();
            }
        }, Duration.ofSeconds(60));
    }

    /** The files in {@code maildir/new}, oldest first. */
    static List<Path> newMail(Path maildir) throws IOException {
        if (!Files.isDirectory(maildir.resolve("new"))) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(maildir.resolve("new"))) {
            List<Path> l = new ArrayList<>(s.toList());
            l.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
            return l;
        }
    }

    /** Waits for {@code n} messages in {@code maildir/new}; returns their contents. */
    static List<String> awaitMail(Path maildir, int n) throws Exception {
        TestHome.await(n + " message(s) in " + maildir, () -> newMail(maildir).size() >= n, Duration.ofSeconds(60));
        List<String> r = new ArrayList<>();
        for (Path p : newMail(maildir)) {
            r.add(new String(Files.readAllBytes(p), ISO_8859_1));
        }
        return r;
    }

    /** A fresh Maildir (or other file) owned by {@code user}. */
    static void chown(String user, Path p) throws IOException {
        TestHome.Result r = TestHome.exec(List.of("chown", "-R", user + ":" + TestHome.gid(user), p.toString()),
                null, Duration.ofSeconds(30));
        if (r.exit() != 0) {
            throw new IOException("chown failed: " + r.errText());
        }
    }

    static void maildir(String user, Path dir) throws IOException {
        for (String d : List.of("tmp", "new", "cur")) {
            Files.createDirectories(dir.resolve(d));
        }
        chown(user, dir);
    }

    /** Writes {@code ~/name} (mode 0644) owned by {@code user}. */
    static void dotQmail(String user, Path home, String name, String text) throws IOException {
        Path p = home.resolve(name);
        Files.write(p, text.getBytes(ISO_8859_1));
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        chown(user, p);
    }

    /** Removes everything in a shared user home except the home itself. */
    static void emptyHome(Path home) throws IOException {
        try (Stream<Path> s = Files.walk(home)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                if (!p.equals(home)) {
                    Files.delete(p);
                }
            }
        }
    }

    @Override
    public void close() throws Exception {
        for (TestHome.Proc p : new TestHome.Proc[] {send, listener, queued}) {
            if (p != null && p.alive()) {
                home.stop(p);
            }
        }
    }
}
