package org.jqmail.local;

import static org.jqmail.local.T.argv;
import static org.jqmail.local.T.b;
import static org.jqmail.local.T.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jqmail.control.LocalWorkerProtocol;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's request loop over in-memory streams. */
class WorkerTest {
    @TempDir
    Path home;
    @TempDir
    Path tmp;
    FakeSys sys = new FakeSys();
    FakeQueue queue = new FakeQueue();
    ByteArrayOutputStream requests = new ByteArrayOutputStream();

    @BeforeEach
    void maildir() throws IOException {
        for (String d : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(home.resolve("Maildir").resolve(d));
        }
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void request(String ext, String message, String homedir) throws IOException {
        List<byte[]> args = argv("joe", homedir, ext.isEmpty() ? "joe" : "joe-" + ext, ext.isEmpty() ? "" : "-",
                ext, "example.com", "bob@x.org", "./Maildir/");
        LocalWorkerProtocol.writeRequest(requests, args, message.length());
        requests.write(b(message));
    }

    private void request(String ext, String message) throws IOException {
        request(ext, message, home.toString());
    }

    private List<LocalWorkerProtocol.Response> serve(int memoryMax) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Delivery.Services svc = new Delivery.Services(sys, Uniq.worker(sys), queue, tmp);
        new Worker(svc, null, memoryMax).serve(new ByteArrayInputStream(requests.toByteArray()), out);
        InputStream in = new ByteArrayInputStream(out.toByteArray());
        List<LocalWorkerProtocol.Response> r = new ArrayList<>();
        while (in.available() > 0) {
            r.add(LocalWorkerProtocol.readResponse(in));
        }
        return r;
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(home.resolve("Maildir/new"))) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static String text(LocalWorkerProtocol.Response r) {
        return r.code() + " " + s(r.output());
    }

    @Test
    void eachRequestIsOneDeliveryWithItsOwnCodeAndOutput() throws Exception {
        request("", "Subject: 1\n\n");
        request("nosuch", "Subject: 2\n\n");
        request("", "Subject: 3\n\n", "relative");
        request("", "Delivered-To: joe@example.com\n\n");
        request("", "Subject: 5\n\n");
        List<LocalWorkerProtocol.Response> r = serve(Worker.MEMORY_MAX);
        assertEquals(5, r.size());
        assertEquals("0 did 1+0+0\n", text(r.get(0)));
        assertEquals("100 Sorry, no mailbox here by that name. (#5.1.1)\n", text(r.get(1)));
        assertEquals("100 qmail-local: usage: qmail-local [ -nN ] user homedir local dash ext domain sender aliasempty\n",
                text(r.get(2)));
        assertEquals("100 This message is looping: it already has my Delivered-To line. (#5.4.6)\n", text(r.get(3)));
        assertEquals("0 did 1+0+0\n", text(r.get(4)));
        assertFalse(r.get(0).crashed());
        assertEquals(List.of("1000000000.4242_1.host.example", "1000000000.4242_2.host.example"), names());
    }

    @Test
    void defaultFromOneDeliveryDoesNotLeakIntoTheNext() throws Exception {
        Files.write(home.resolve(".qmail-a-default"), b("./Maildir/\n"));
        request("a-x", "m\n");
        request("", "m\n");
        List<LocalWorkerProtocol.Response> r = serve(Worker.MEMORY_MAX);
        assertEquals("0 did 1+0+0\n", text(r.get(0)));
        assertEquals("0 did 1+0+0\n", text(r.get(1)));
    }

    @Test
    void largeMessagesAreSpilledAndDeliveredByteForByte() throws Exception {
        StringBuilder big = new StringBuilder("Subject: big\n\n");
        while (big.length() < 300_000) {
            big.append("line ").append(big.length()).append('\n');
        }
        request("", big.toString());
        request("", "small\n");
        List<LocalWorkerProtocol.Response> r = serve(1000);
        assertEquals("0 did 1+0+0\n", text(r.get(0)));
        assertEquals("0 did 1+0+0\n", text(r.get(1)));
        String first = s(Files.readAllBytes(home.resolve("Maildir/new").resolve(names().get(0))));
        assertEquals("Return-Path: <bob@x.org>\nDelivered-To: joe@example.com\n" + big, first);
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.count(), "spill files are unlinked");
        }
    }

    @Test
    void forwardsUseTheQueueOncePerDelivery() throws Exception {
        Files.write(home.resolve(".qmail-fw"), b("a@example.org\n"));
        request("fw", "x\n");
        List<LocalWorkerProtocol.Response> r = serve(Worker.MEMORY_MAX);
        assertEquals("0 did 0+1+0\nqp 31337\n", text(r.get(0)));
        assertEquals("Delivered-To: joe-fw@example.com\nx\n", s(queue.message.toByteArray()));
    }

    @Test
    void aBugInOneDeliveryIsThatDeliverysTemporaryFailureOnly() throws Exception {
        Worker w = new Worker(new Delivery.Services(sys, Uniq.worker(sys), queue, tmp), null, Worker.MEMORY_MAX);
        Message broken = new Message() {
            @Override
            public InputStream current() {
                throw new IllegalStateException("bug");
            }

            @Override
            public InputStream rewind() {
                throw new IllegalStateException("bug");
            }
        };
        List<byte[]> args = argv("joe", home.toString(), "joe", "", "", "example.com", "a@b", "./Maildir/");
        assertEquals("111 Unable to deliver: internal error in qmail-local. (#4.3.0)\n", text(w.deliver(args, broken)));
        assertEquals("0 did 1+0+0\n", text(w.deliver(args, new MemoryMessage(b("x\n")))));
        assertEquals(List.of("1000000000.4242_1.host.example"), names());
    }

    @Test
    void emptyInputIsACleanEnd() throws Exception {
        assertEquals(List.of(), serve(Worker.MEMORY_MAX));
    }

    @Test
    void truncatedMessageEndsTheWorker() throws Exception {
        LocalWorkerProtocol.writeRequest(requests, argv("joe", home.toString(), "joe", "", "", "h", "", "./Maildir/"), 10);
        requests.write(b("short"));
        assertThrows(EOFException.class, () -> serve(Worker.MEMORY_MAX));
        assertThrows(EOFException.class, () -> serve(3));
    }

    @Test
    void truncatedHeaderEndsTheWorker() {
        requests.write(0);
        requests.write(0);
        assertThrows(EOFException.class, () -> serve(Worker.MEMORY_MAX));
    }

    @Test
    void outputIsCappedAtTheProtocolBound() {
        BufferOutput o = new BufferOutput(10);
        o.out(b("0123456"));
        o.err(b("789abc"));
        assertEquals("0123456789", s(o.bytes()));
    }
}
