package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Test support for the receive path: an installed prefix with qmail-queued running and
 * qmail-smtpd serving on an ephemeral 127.0.0.1 port in one of three ways: Debian's tcpserver
 * running the JVM qmail-smtpd ({@code bin/qmail-smtpd-jvm}) per connection; tcpserver running
 * {@code bin/qmail-smtpd}, the hand-off, with a listener that has no port of its own taking
 * the connections over (doc/HANDOFF.md); or the built-in listener. All with
 * {@code -R -H -l test.example} and the rules below, and as root with {@code -u qmaild -g
 * nofiles} as in the installed run files.
 *
 * <p>Rules ({@code etc/tcp.smtp}, compiled with tcprules): 127.0.0.1 relays (RELAYCLIENT=""),
 * 127.0.0.2 does not, 127.0.0.3 is denied, 127.0.0.4 gets DATABYTES=100, 127.0.0.5 gets
 * RBLSMTPD="-blocked by the test" (rblsmtpd then refuses it with 553).
 */
final class ReceiveRig implements AutoCloseable {
    static final Duration START = Duration.ofSeconds(30);
    static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile(Qsbmf.DATE);
    static final String RULES = "127.0.0.1:allow,RELAYCLIENT=\"\"\n127.0.0.2:allow\n127.0.0.3:deny\n"
            + "127.0.0.4:allow,DATABYTES=\"100\"\n127.0.0.5:allow,RBLSMTPD=\"-blocked by the test\"\n:allow\n";

    enum Mode { TCPSERVER, HANDOFF, LISTENER }

    final TestHome home;
    TestHome.Proc queued;
    TestHome.Proc smtpd;
    /** The listener without a port that takes tcpserver's hand-offs (mode HANDOFF). */
    TestHome.Proc handoff;
    int port;

    private ReceiveRig(TestHome home) {
        this.home = home;
    }

    /**
     * A fresh prefix with the rules compiled, qmail-queued started, no SMTP server yet;
     * {@code installArgs} go to scripts/install.
     */
    static ReceiveRig create(String... installArgs) throws Exception {
        ReceiveRig r = new ReceiveRig(TestHome.create(false, installArgs));
        try {
            Path rules = r.home.etc().resolve("tcp.smtp");
            Files.write(rules, RULES.getBytes(ISO_8859_1));
            TestHome.Result t = TestHome.exec(List.of("sh", "-c", "tcprules " + r.home.etc().resolve("tcp.smtp.cdb")
                    + " " + r.home.etc().resolve("tcp.smtp.tmp") + " < " + rules), null, Duration.ofSeconds(30));
            if (t.exit() != 0) {
                throw new IOException("tcprules: " + t.errText());
            }
            r.startQueued();
            return r;
        } catch (Exception e) {
            r.close();
            throw e;
        }
    }

    /** A fresh prefix with qmail-queued and qmail-smtpd in {@code mode}. */
    static ReceiveRig create(Mode mode) throws Exception {
        ReceiveRig r = create();
        try {
            r.startSmtpd(mode);
            return r;
        } catch (Exception e) {
            r.close();
            throw e;
        }
    }

    Path socket() {
        return home.sock().resolve("qmail-queue");
    }

    void startQueued(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("qmail-queued"));
        argv.addAll(List.of(args));
        queued = home.start(argv.toArray(new String[0]));
        TestHome.Proc q = queued;
        TestHome.await("qmail-queued's socket", () -> {
            if (!q.alive()) {
                throw new AssertionError("qmail-queued died: " + q.err());
            }
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(socket()));
            }
            return Files.getPosixFilePermissions(socket()).size() == 9;
        }, START);
    }

    /** SIGKILL, as a crash. */
    void killQueued() throws InterruptedException {
        queued.process().destroyForcibly();
        queued.process().waitFor();
    }

    void startSmtpd(Mode mode) throws Exception {
        if (mode == Mode.LISTENER) {
            List<String> argv = new ArrayList<>(List.of(home.bin("qmail-smtpd-listener").toString(), "-1", "-R", "-H",
                    "-l", "test.example", "-x", home.etc().resolve("tcp.smtp.cdb").toString()));
            if (TestHome.isRoot()) {
                argv.addAll(List.of("-u", "qmaild", "-g", "nofiles"));
            }
            argv.addAll(List.of("127.0.0.1", "0"));
            smtpd = home.start(argv.toArray(new String[0]));
            port = awaitPort(smtpd);
            return;
        }
        if (mode == Mode.HANDOFF) {
            startHandoff();
        }
        smtpd = startTcpserver(null, home.bin(mode == Mode.HANDOFF ? "qmail-smtpd" : "qmail-smtpd-jvm").toString());
        port = awaitPort(smtpd);
    }

    /** The hand-off socket. */
    Path handoffSocket() {
        return home.sock().resolve("smtpd").resolve("handoff");
    }

    /** Starts a listener without host and port, with -v, and waits for its hand-off socket. */
    void startHandoff() throws Exception {
        List<String> argv = new ArrayList<>(List.of(home.bin("qmail-smtpd-listener").toString(), "-v"));
        if (TestHome.isRoot()) {
            argv.addAll(List.of("-u", "qmaild", "-g", "nofiles"));
        }
        // A listener that was killed leaves its socket behind: wait for the new one's.
        // (An inode number can be reused at once; the change time tells the files apart.)
        Object stale = Files.exists(handoffSocket()) ? Files.getAttribute(handoffSocket(), "unix:ctime") : null;
        handoff = home.start(argv.toArray(new String[0]));
        TestHome.Proc p = handoff;
        // The listener makes the socket world-writable once it listens (the directory guards it).
        TestHome.await("the hand-off socket", () -> {
            if (!p.alive()) {
                throw new AssertionError("the hand-off listener died: " + p.err());
            }
            return Files.exists(handoffSocket()) && !Files.getAttribute(handoffSocket(), "unix:ctime").equals(stale)
                    && Files.getPosixFilePermissions(handoffSocket()).size() == 9;
        }, START);
    }

    /**
     * Starts {@code tcpserver -1 -v -R -H -l test.example -x rules [-u qmaild -g nofiles]
     * 127.0.0.1 0 PROGRAM...} with {@code env} (null: this JVM's); {@link #awaitPort} gives its port.
     */
    TestHome.Proc startTcpserver(java.util.Map<String, String> env, String... program) throws IOException {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/tcpserver", "-1", "-v", "-R", "-H", "-l", "test.example",
                "-x", home.etc().resolve("tcp.smtp.cdb").toString()));
        if (TestHome.isRoot()) {
            argv.addAll(List.of("-u", Integer.toString(TestHome.uid("qmaild")),
                    "-g", Integer.toString(TestHome.gid("qmaild"))));
        }
        argv.addAll(List.of("127.0.0.1", "0"));
        argv.addAll(List.of(program));
        return home.start(env, argv.toArray(new String[0]));
    }

    /** The port a server started with -1 prints. */
    static int awaitPort(TestHome.Proc p) throws InterruptedException {
        TestHome.await("the SMTP port", () -> {
            if (!p.alive()) {
                throw new AssertionError(p.name() + " died: " + p.err());
            }
            return p.out().endsWith("\n");
        }, START);
        return Integer.parseInt(p.out().trim());
    }

    Smtp connect() throws IOException {
        return Smtp.connect(port, "127.0.0.1");
    }

    Smtp connect(String from) throws IOException {
        return Smtp.connect(port, from);
    }

    /** The uid qmail-queued records for SMTP sessions. */
    static long smtpdUid() throws IOException {
        return TestHome.isRoot() ? TestHome.uid("qmaild") : TestHome.uid(System.getProperty("user.name"));
    }

    /** A queued message: its number, {@code todo/N} and {@code mess/S/N}. */
    /** {@code s} as a netstring (QMTP, QMQP): its byte length, a colon, the bytes, a comma. */
    static String netstring(String s) {
        return s.getBytes(ISO_8859_1).length + ":" + s + ",";
    }

    /**
     * Sends {@code bytes} to the server from address {@code from}, half-closes, and returns
     * everything the server said (the QMTP and QMQP exchanges: one request, then the answers).
     */
    String exchange(String from, String bytes) throws IOException {
        try (java.net.Socket s = new java.net.Socket()) {
            s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getByName(from), 0));
            s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
            s.setSoTimeout(60_000);
            s.getOutputStream().write(bytes.getBytes(ISO_8859_1));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), ISO_8859_1);
        }
    }

    /** The queued message of {@code qp}, its dates replaced by {@code DATE}. */
    String queuedText(long qp) throws IOException {
        return DATE.matcher(byQp(qp).orElseThrow().messText()).replaceAll("DATE");
    }

    /** The envelope (todo file) of the message of {@code qp}. */
    String envelopeText(long qp) throws IOException {
        return byQp(qp).orElseThrow().todoText();
    }

    /**
     * tcpserver's end lines so far, once every session it started has one: the end line of a
     * session whose client is done may still be on its way, and counting before it arrives
     * would take it for the next session's.
     */
    int tcpserverEnds() throws Exception {
        TestHome.await("tcpserver's end lines", () -> count("tcpserver: end ") == count("tcpserver: pid "),
                Duration.ofSeconds(30));
        return count("tcpserver: end ");
    }

    /** How often {@code what} occurs in the server's fd 2 so far. */
    int count(String what) {
        return smtpd.err().split(what, -1).length - 1;
    }

    record Queued(long id, byte[] todo, byte[] mess) {
        String todoText() {
            return new String(todo, ISO_8859_1);
        }

        String messText() {
            return new String(mess, ISO_8859_1);
        }
    }

    List<Path> todo() throws IOException {
        try (Stream<Path> s = Files.list(home.queue().resolve("todo"))) {
            return s.collect(Collectors.toList());
        }
    }

    List<Path> files(String dir) throws IOException {
        try (Stream<Path> s = Files.walk(home.queue().resolve(dir))) {
            return s.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    Queued read(Path todo) throws IOException {
        long id = Long.parseLong(todo.getFileName().toString());
        Path mess = home.queue().resolve("mess").resolve(Long.toString(id % 23)).resolve(Long.toString(id));
        return new Queued(id, Files.readAllBytes(todo), Files.readAllBytes(mess));
    }

    /** The queued message whose {@code p} record is {@code qp}. */
    Optional<Queued> byQp(long qp) throws IOException {
        String p = "\0p" + qp + "\0";
        for (Path t : todo()) {
            byte[] b = Files.readAllBytes(t);
            if (new String(b, ISO_8859_1).contains(p)) {
                return Optional.of(read(t));
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() throws IOException {
        home.close();
    }
}
