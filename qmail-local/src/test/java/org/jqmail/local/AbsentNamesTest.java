package org.jqmail.local;

import static org.jqmail.local.T.argv;
import static org.jqmail.local.T.b;
import static org.jqmail.local.T.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A warm worker's deliveries with {@link AbsentNames}: every change of the home is seen next time. */
class AbsentNamesTest {
    private static final String MSG = "Subject: hi\n\nbody\n";

    @TempDir
    Path home;
    FakeSys sys = new FakeSys();
    AbsentNames absent = new AbsentNames(sys);
    Delivery.Services svc;

    @BeforeEach
    void setUp() throws IOException {
        for (String d : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(home.resolve("Maildir").resolve(d));
            Files.createDirectories(home.resolve("box").resolve(d));
        }
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        // The home's stamp is some seconds old by this clock: old enough to be trusted.
        sys.now = System.currentTimeMillis() / 1000 + 10;
        svc = new Delivery.Services(sys, Uniq.worker(sys), new FakeQueue(), home, absent);
    }

    private String deliver() {
        BufferOutput out = new BufferOutput(100_000);
        int code = new Delivery(svc).run(argv("joe", home.toString(), "joe", "", "", "example.com",
                "bob@x.org", "./Maildir/"), new MemoryMessage(b(MSG)), null, out);
        return code + " " + s(out.bytes());
    }

    private long count(String maildir) throws IOException {
        try (Stream<Path> s = Files.list(home.resolve(maildir).resolve("new"))) {
            return s.count();
        }
    }

    @Test
    void missingNamesAreKeptAndACreatedDotQmailIsSeenAtTheNextDelivery() throws IOException {
        assertEquals("0 did 1+0+0\n", deliver());
        assertEquals(3, absent.size()); // .qmail, .qmaildefault, .qmail-owner
        assertTrue(absent.known(".qmail"));
        assertEquals("0 did 1+0+0\n", deliver());
        assertEquals(2, count("Maildir"));
        Files.write(home.resolve(".qmail"), b("./box/\n"));
        Files.setPosixFilePermissions(home.resolve(".qmail"), PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("0 did 1+0+0\n", deliver());
        assertEquals(1, count("box"));
        assertEquals(2, count("Maildir"));
        Files.delete(home.resolve(".qmail"));
        assertEquals("0 did 1+0+0\n", deliver());
        assertEquals(3, count("Maildir"));
    }

    @Test
    void aDanglingLinkIsNeverKeptSoItsTargetIsSeen(@TempDir Path elsewhere) throws IOException {
        Files.createSymbolicLink(home.resolve(".qmail"), elsewhere.resolve("target"));
        assertEquals("0 did 1+0+0\n", deliver());
        assertFalse(absent.known(".qmail"));
        assertEquals(2, absent.size());
        AbsentNames.Stamp before = AbsentNames.stat(home).stamp();
        // Creating the target elsewhere leaves the home, hence its stamp, as it was.
        Files.write(elsewhere.resolve("target"), b("./box/\n"));
        Files.setPosixFilePermissions(elsewhere.resolve("target"), PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(before, AbsentNames.stat(home).stamp());
        assertEquals("0 did 1+0+0\n", deliver());
        assertEquals(1, count("box"));
        assertEquals(1, count("Maildir"));
    }

    @Test
    void aHomeChangedTooRecentlyIsNotTrusted() throws IOException {
        sys.now = System.currentTimeMillis() / 1000; // the home was made just now
        assertEquals("0 did 1+0+0\n", deliver());
        assertEquals(0, absent.size());
        assertFalse(absent.known(".qmail"));
    }

    @Test
    void anotherHomeStartsAfresh() throws IOException {
        assertEquals("0 did 1+0+0\n", deliver());
        assertEquals(3, absent.size());
        absent.at(home.resolve("Maildir"), AbsentNames.stat(home.resolve("Maildir")).stamp());
        assertEquals(0, absent.size());
    }
}
