package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jqmail.control.LocalWorkerProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * qmail-local and its worker run as a real user, given that uid and gid before the JVM starts
 * (as qmail-lspawn gives them, doc/ARCHITECTURE.md §4): deliveries are owned by the user, programs
 * run with exactly the user's uid and primary group (qmail's TEST.deliver).
 */
@Tag("root")
class QmailLocalRootIT {
    private static final String USER = "jqlocal";
    private static LocalHome h;
    private static int uid;
    private static int gid;
    private Path home;

    @BeforeAll
    static void install() throws Exception {
        Path userHome = LocalHome.ensureUser(USER);
        uid = LocalHome.uid(USER);
        gid = LocalHome.gid(USER);
        h = LocalHome.create();
        assertEquals(userHome, userHome.toAbsolutePath());
    }

    @AfterAll
    static void remove() throws IOException {
        if (h != null) {
            h.close();
        }
    }

    @BeforeEach
    void home() throws Exception {
        home = LocalHome.ensureUser(USER);
        try (Stream<Path> s = Files.list(home)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                exec("rm", "-rf", p.toString());
            }
        }
        for (String d : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(home.resolve("Maildir").resolve(d));
        }
        Files.write(home.resolve(".qmail"), "./Maildir/\n|id -u > id.out; id -G > groups.out\n".getBytes(ISO_8859_1));
        Files.setPosixFilePermissions(home.resolve(".qmail"), PosixFilePermissions.fromString("rw-r--r--"));
        exec("chown", "-R", uid + ":" + gid, home.toString());
    }

    private static void exec(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).inheritIO().start();
        if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException(List.of(argv) + " failed");
        }
    }

    private List<String> setpriv() {
        return List.of("setpriv", "--reuid", Integer.toString(uid), "--regid", Integer.toString(gid),
                "--groups", Integer.toString(gid));
    }

    private void assertDeliveredAsTheUser() throws IOException {
        List<Path> mail;
        try (Stream<Path> s = Files.list(home.resolve("Maildir/new"))) {
            mail = s.collect(Collectors.toList());
        }
        assertEquals(1, mail.size());
        assertEquals(uid, Files.getAttribute(mail.get(0), "unix:uid"));
        assertEquals(gid, Files.getAttribute(mail.get(0), "unix:gid"));
        assertEquals(uid + "\n", new String(Files.readAllBytes(home.resolve("id.out")), ISO_8859_1));
        assertEquals(gid + "\n", new String(Files.readAllBytes(home.resolve("groups.out")), ISO_8859_1));
        assertEquals(uid, Files.getAttribute(home.resolve("id.out"), "unix:uid"));
    }

    @Test
    void standaloneDeliversAsTheUser() throws Exception {
        Path msg = LocalDelivery.message(h.dir(), "Subject: root test\n\n");
        LocalDelivery.Result r = LocalDelivery.run(setpriv(), h.bin("qmail-local"), msg, Map.of(),
                "--", USER, home.toString(), USER, "", "", "test.example", "a@b", "./Mailbox");
        assertEquals("0 did 1+0+1\n", r.toString());
        assertDeliveredAsTheUser();
    }

    @Test
    void workerDeliversAsTheUser() throws Exception {
        List<String> argv = new ArrayList<>(setpriv());
        argv.add(h.bin("qmail-local-worker").toString());
        Process w = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream o = w.getOutputStream()) {
            List<byte[]> a = new ArrayList<>();
            for (String s : List.of(USER, home.toString(), USER, "", "", "test.example", "a@b", "./Mailbox")) {
                a.add(s.getBytes(ISO_8859_1));
            }
            byte[] m = "Subject: worker\n\n".getBytes(ISO_8859_1);
            LocalWorkerProtocol.writeRequest(o, a, m.length);
            o.write(m);
            o.flush();
            LocalWorkerProtocol.Response r = LocalWorkerProtocol.readResponse(new BufferedInputStream(w.getInputStream()));
            assertEquals("0 did 1+0+1\n", r.code() + " " + new String(r.output(), ISO_8859_1));
        }
        w.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, w.exitValue());
        assertDeliveredAsTheUser();
    }
}
