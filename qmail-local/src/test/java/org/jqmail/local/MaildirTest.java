package org.jqmail.local;

import org.jqmail.control.TempFail;
import static org.jqmail.local.T.b;
import static org.jqmail.local.T.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

class MaildirTest {
    private static final byte[] RP = b("Return-Path: <a@b>\n");
    private static final byte[] DT = b("Delivered-To: joe@example.com\n");

    @TempDir
    Path home;
    Path md;
    FakeSys sys = new FakeSys();

    @BeforeEach
    void maildir() throws IOException {
        md = home.resolve("Maildir");
        for (String d : new String[] {"tmp", "new", "cur"}) {
            Files.createDirectories(md.resolve(d));
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void messageLandsInNewWithReturnPathAndDeliveredTo() throws Exception {
        new Maildir(sys, Uniq.standalone(sys)).deliver(md, new MemoryMessage(b("Subject: x\n\nFrom body")), RP, DT);
        assertEquals(List.of("1000000000.4242.host.example"), list(md.resolve("new")));
        assertEquals(List.of(), list(md.resolve("tmp")));
        Path f = md.resolve("new/1000000000.4242.host.example");
        assertEquals("Return-Path: <a@b>\nDelivered-To: joe@example.com\nSubject: x\n\nFrom body", s(Files.readAllBytes(f)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void namesStayUniqueWithinOneSecond() throws Exception {
        Maildir m = new Maildir(sys, Uniq.worker(sys));
        for (int i = 0; i < 3; i++) {
            m.deliver(md, new MemoryMessage(b("m" + i)), RP, DT);
        }
        assertEquals(List.of("1000000000.4242_1.host.example", "1000000000.4242_2.host.example",
                "1000000000.4242_3.host.example"), list(md.resolve("new")));
        assertEquals(0, sys.sleeps);
    }

    @Test
    void standaloneUsesThePlainNameFirst() {
        Uniq u = Uniq.standalone(sys);
        assertEquals("7.4242.host.example", u.next(7));
        assertEquals("7.4242_2.host.example", u.next(7));
    }

    @Test
    void existingTmpNameIsRetriedAfterTwoSeconds() throws Exception {
        Files.createFile(md.resolve("tmp/1000000000.4242.host.example"));
        new Maildir(sys, Uniq.standalone(sys)).deliver(md, new MemoryMessage(b("x")), RP, DT);
        assertEquals(1, sys.sleeps);
        assertEquals(2000, sys.slept);
        assertEquals(List.of("1000000002.4242_2.host.example"), list(md.resolve("new")));
    }

    @Test
    void thirdExistingNameGivesUp() throws Exception {
        Files.createFile(md.resolve("tmp/1000000000.4242.host.example"));
        Files.createFile(md.resolve("tmp/1000000002.4242_2.host.example"));
        Files.createFile(md.resolve("tmp/1000000004.4242_3.host.example"));
        TempFail f = assertThrows(TempFail.class,
                () -> new Maildir(sys, Uniq.standalone(sys)).deliver(md, new MemoryMessage(b("x")), RP, DT));
        assertEquals("Temporary error on maildir delivery. (#4.3.0)", s(f.text()));
        assertEquals(2, sys.sleeps);
        assertEquals(List.of(), list(md.resolve("new")));
    }

    @Test
    void missingMaildirIsUnableToChdir() {
        TempFail f = assertThrows(TempFail.class, () -> new Maildir(sys, Uniq.standalone(sys))
                .deliver(home.resolve("nope"), new MemoryMessage(b("x")), RP, DT));
        assertEquals("Unable to chdir to maildir. (#4.2.1)", s(f.text()));
    }

    @Test
    void aFileInsteadOfAMaildirIsUnableToChdir() throws Exception {
        Files.createFile(home.resolve("file"));
        TempFail f = assertThrows(TempFail.class, () -> new Maildir(sys, Uniq.standalone(sys))
                .deliver(home.resolve("file"), new MemoryMessage(b("x")), RP, DT));
        assertEquals("Unable to chdir to maildir. (#4.2.1)", s(f.text()));
    }

    @Test
    void missingTmpIsATemporaryError() throws Exception {
        Files.delete(md.resolve("tmp"));
        TempFail f = assertThrows(TempFail.class, () -> new Maildir(sys, Uniq.standalone(sys))
                .deliver(md, new MemoryMessage(b("x")), RP, DT));
        assertEquals("Temporary error on maildir delivery. (#4.3.0)", s(f.text()));
    }

    @Test
    void missingNewIsATemporaryErrorAndTmpIsCleaned() throws Exception {
        Files.delete(md.resolve("new"));
        TempFail f = assertThrows(TempFail.class, () -> new Maildir(sys, Uniq.standalone(sys))
                .deliver(md, new MemoryMessage(b("x")), RP, DT));
        assertEquals("Temporary error on maildir delivery. (#4.3.0)", s(f.text()));
        assertEquals(List.of(), list(md.resolve("tmp")));
    }

    @Test
    void readErrorIsUnableToReadMessageAndTmpIsCleaned() throws Exception {
        Message broken = new Message() {
            @Override
            public InputStream current() {
                return rewind();
            }

            @Override
            public InputStream rewind() {
                return new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("Input/output error");
                    }
                };
            }
        };
        TempFail f = assertThrows(TempFail.class,
                () -> new Maildir(sys, Uniq.standalone(sys)).deliver(md, broken, RP, DT));
        assertEquals("Unable to read message. (#4.3.0)", s(f.text()));
        assertEquals(List.of(), list(md.resolve("tmp")));
        assertEquals(List.of(), list(md.resolve("new")));
    }

    @Test
    void deliveryPastTwentyFourHoursTimesOut() throws Exception {
        InputStream slow = new ByteArrayInputStream(b("abc")) {
            @Override
            public synchronized int read(byte[] buf, int off, int len) {
                sys.now += 43200;
                return super.read(buf, off, Math.min(len, 1));
            }
        };
        Message m = new Message() {
            @Override
            public InputStream current() {
                return slow;
            }

            @Override
            public InputStream rewind() {
                return slow;
            }
        };
        TempFail f = assertThrows(TempFail.class,
                () -> new Maildir(sys, Uniq.standalone(sys)).deliver(md, m, RP, DT));
        assertEquals("Timeout on maildir delivery. (#4.3.0)", s(f.text()));
        assertEquals(List.of(), list(md.resolve("tmp")));
        assertEquals(List.of(), list(md.resolve("new")));
    }

    @Test
    void messageBytesAreCopiedUnchanged() throws Exception {
        byte[] all = new byte[70000];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        new Maildir(sys, Uniq.standalone(sys)).deliver(md, new MemoryMessage(all), RP, DT);
        byte[] got = Files.readAllBytes(md.resolve("new").resolve(list(md.resolve("new")).get(0)));
        assertArrayEquals(Bytes.concat(RP, DT, all), got);
    }

    /** A message whose streams hand out at most {@code chunk} bytes per read. */
    private static Message chunked(byte[] all, int chunk) {
        return new Message() {
            @Override
            public java.io.InputStream current() {
                return rewind();
            }

            @Override
            public java.io.InputStream rewind() {
                return new java.io.ByteArrayInputStream(all) {
                    @Override
                    public synchronized int read(byte[] b, int off, int len) {
                        return super.read(b, off, Math.min(len, chunk));
                    }
                };
            }
        };
    }

    /** Sizes around the 64 KB write block, short reads, and header lines too long to share it. */
    @ParameterizedTest
    @CsvSource({"0,100000,0", "1,1,0", "65487,100000,0", "65488,100000,0", "65489,100000,0", "65489,7,0",
        "131025,4096,0", "200000,100000,0", "200000,999,40000", "10,100000,32768", "0,1,70000"})
    void blocksAndHeadersAreWrittenInOrder(int size, int chunk, int longSender) throws Exception {
        byte[] all = new byte[size];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (i * 7);
        }
        byte[] rp = longSender == 0 ? RP : b("Return-Path: <" + "x".repeat(longSender) + ">\n");
        new Maildir(sys, Uniq.standalone(sys)).deliver(md, chunked(all, chunk), rp, DT);
        byte[] got = Files.readAllBytes(md.resolve("new").resolve(list(md.resolve("new")).get(0)));
        assertArrayEquals(Bytes.concat(rp, DT, all), got);
        assertEquals(List.of(), list(md.resolve("tmp")));
    }
}
