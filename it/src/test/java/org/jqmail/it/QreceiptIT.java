package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * qreceipt and qbiff as a {@code .qmail} line runs them: the message on fd 0, SENDER (and
 * qbiff's USER and LOCAL) in the environment. qreceipt's notice goes to a stand-in
 * {@code QMAILQUEUE} that keeps the message and the envelope, compared byte for byte.
 */
class QreceiptIT {
    static TestHome home;
    static Path qq;

    @BeforeAll
    static void install() throws IOException {
        home = TestHome.create();
        qq = home.dir().resolve("fake-qmail-queue");
        Files.writeString(qq, "#!/bin/sh\n"
                + "cat > " + home.dir() + "/qq.msg\n"
                + "cat <&1 > " + home.dir() + "/qq.env\n"
                + "exit ${QQ_EXIT:-0}\n", ISO_8859_1);
        Files.setPosixFilePermissions(qq, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void remove() throws IOException {
        if (home != null) {
            home.close();
        }
    }

    @BeforeEach
    void clean() throws IOException {
        Files.deleteIfExists(home.dir().resolve("qq.msg"));
        Files.deleteIfExists(home.dir().resolve("qq.env"));
    }

    /**
     * stderr without the JDK's warnings: running {@code QMAILQUEUE} needs the native layer,
     * which a lean launcher does not open up on Java 24 and later, so the JDK warns about it.
     */
    static String err(TestHome.Result r) {
        StringBuilder b = new StringBuilder();
        for (String l : r.errText().split("(?<=\n)")) {
            if (!l.startsWith("WARNING: ") && !l.equals("\n")) {
                b.append(l);
            }
        }
        return b.toString();
    }

    static TestHome.Result run(String program, List<String> env, String message, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of("env", "-i", "PATH=/usr/bin:/bin", "QMAILQUEUE=" + qq));
        argv.addAll(env);
        argv.add(home.bin(program).toString());
        argv.addAll(List.of(args));
        return TestHome.exec(argv, message.getBytes(ISO_8859_1), Duration.ofMinutes(1));
    }

    @Test
    void aRequestedNoticeIsQueuedFromTheEmptySenderToTheSender() throws IOException {
        TestHome.Result r = run("qreceipt", List.of("SENDER=mary@example.org"),
                "Message-ID: <42@example.org>\nNotice-Requested-Upon-Delivery-To: joe@test.example\n"
                        + "Subject: hi\n\nbody\n", "joe@test.example");
        assertEquals(0, r.exit(), r.errText());
        assertEquals("", err(r) + r.outText());
        assertEquals("From: DELIVERY NOTICE SYSTEM <mary@example.org>\n"
                + "To: <mary@example.org>\n"
                + "Subject: success notice\n"
                + "\n"
                + "Hi! This is the qreceipt program. Your message was delivered to the\n"
                + "following address: joe@test.example. Thanks for asking.\n"
                + "Your Message-ID: <42@example.org>\n", Files.readString(home.dir().resolve("qq.msg"), ISO_8859_1));
        assertEquals("F\0Tmary@example.org\0\0", Files.readString(home.dir().resolve("qq.env"), ISO_8859_1));
    }

    @Test
    void noRequestNoNoticeAndTheFailures() throws IOException {
        TestHome.Result r = run("qreceipt", List.of("SENDER=mary@example.org"),
                "Notice-Requested-Upon-Delivery-To: bob@test.example\n\n", "joe@test.example");
        assertEquals(0, r.exit(), r.errText());
        assertFalse(Files.exists(home.dir().resolve("qq.msg")));

        r = run("qreceipt", List.of(), "x\n", "joe@test.example");
        assertEquals(100, r.exit());
        assertEquals("qreceipt: usage: qreceipt deliveryaddress\n", r.errText());
        r = run("qreceipt", List.of("SENDER=a@b"), "x\n");
        assertEquals(100, r.exit());
        assertEquals("qreceipt: usage: qreceipt deliveryaddress\n", r.errText());

        r = run("qreceipt", List.of("SENDER=a@b"), "Notice-Requested-Upon-Delivery-To: a:b\n\n", "joe@test.example");
        assertEquals(100, r.exit());
        assertEquals("qreceipt: fatal: unable to parse this: Notice-Requested-Upon-Delivery-To: a:b\n", r.errText());

        String ask = "Notice-Requested-Upon-Delivery-To: joe@test.example\n\n";
        r = run("qreceipt", List.of("SENDER=a@b", "QQ_EXIT=31"), ask, "joe@test.example");
        assertEquals(100, r.exit());
        assertEquals("qreceipt: fatal: permanent qmail-queue error\n", err(r));
        r = run("qreceipt", List.of("SENDER=a@b", "QQ_EXIT=71"), ask, "joe@test.example");
        assertEquals(111, r.exit());
        assertEquals("qreceipt: fatal: temporary qmail-queue error\n", err(r));
    }

    @Test
    void qbiffNeverFailsADelivery() throws IOException {
        String msg = "Subject: news\n\nbody\n";
        TestHome.Result r = run("qbiff", List.of("USER=nobody-" + ProcessHandle.current().pid(), "SENDER=a@b",
                "LOCAL=joe"), msg);
        assertEquals(0, r.exit());
        assertEquals("", r.outText() + r.errText());
        r = run("qbiff", List.of("USER=joe"), msg);
        assertEquals(0, r.exit());
        assertEquals("", r.outText() + r.errText());
    }
}
