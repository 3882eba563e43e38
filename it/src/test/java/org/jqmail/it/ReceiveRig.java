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
 * qmail-smtpd serving on an ephemeral 127.0.0.1 port, either under Debian's tcpserver or as
 * the built-in listener, both with {@code -R -H -l test.example} and the rules below, and as
 * root with {@code -u qmaild -g nofiles} as in the installed run files.
 *
 * <p>Rules ({@code etc/tcp.smtp}, compiled with tcprules): 127.0.0.1 relays (RELAYCLIENT=""),
 * 127.0.0.2 does not, 127.0.0.3 is denied, 127.0.0.4 gets DATABYTES=100.
 */
final class ReceiveRig implements AutoCloseable {
    static final Duration START = Duration.ofSeconds(30);
    static final String RULES = "127.0.0.1:allow,RELAYCLIENT=\"\"\n127.0.0.2:allow\n127.0.0.3:deny\n"
            + "127.0.0.4:allow,DATABYTES=\"100\"\n:allow\n";

    enum Mode { TCPSERVER, LISTENER }

    final TestHome home;
    TestHome.Proc queued;
    TestHome.Proc smtpd;
    int port;

    private ReceiveRig(TestHome home) {
        this.home = home;
    }

    /** A fresh prefix with the rules compiled, qmail-queued started, no SMTP server yet. */
    static ReceiveRig create() throws Exception {
        ReceiveRig r = new ReceiveRig(TestHome.create());
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
        String cdb = home.etc().resolve("tcp.smtp.cdb").toString();
        List<String> argv = new ArrayList<>();
        if (mode == Mode.TCPSERVER) {
            argv.addAll(List.of("tcpserver", "-1", "-R", "-H", "-l", "test.example", "-x", cdb));
            if (TestHome.isRoot()) {
                argv.addAll(List.of("-u", Integer.toString(TestHome.uid("qmaild")),
                        "-g", Integer.toString(TestHome.gid("qmaild"))));
            }
            argv.addAll(List.of("127.0.0.1", "0", home.bin("qmail-smtpd").toString()));
            argv.set(0, "/usr/bin/tcpserver");
        } else {
            argv.addAll(List.of(home.bin("qmail-smtpd-listener").toString(), "-1", "-R", "-H", "-l", "test.example",
                    "-x", cdb));
            if (TestHome.isRoot()) {
                argv.addAll(List.of("-u", "qmaild", "-g", "nofiles"));
            }
            argv.addAll(List.of("127.0.0.1", "0"));
        }
        smtpd = home.start(argv.toArray(new String[0]));
        TestHome.Proc p = smtpd;
        TestHome.await("the SMTP port", () -> {
            if (!p.alive()) {
                throw new AssertionError(p.name() + " died: " + p.err());
            }
            return p.out().endsWith("\n");
        }, START);
        port = Integer.parseInt(smtpd.out().trim());
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
