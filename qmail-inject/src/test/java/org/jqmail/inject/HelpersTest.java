package org.jqmail.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;

/** forward's requeueing, bouncesaying without a program, predate's Date field. */
class HelpersTest {
    final InjectTest.FakeQq qq = new InjectTest.FakeQq();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final Map<String, byte[]> env = new HashMap<>();

    @Test
    void forwardQueuesDtlineAndMessageFromNewsender() {
        env.put("NEWSENDER", Bytes.ascii("owner@list.org"));
        env.put("DTLINE", Bytes.ascii("Delivered-To: me@here.org\n"));
        int code = Helpers.forward(new Env(env), () -> qq, List.of(Bytes.ascii("a@b.c"), Bytes.ascii("d@e.f")),
                new ByteArrayInputStream(Bytes.ascii("Subject: x\n\nbody\n")), err);
        assertEquals(0, code);
        assertEquals("forward: qp 4242\n", Bytes.str(err.toByteArray()));
        assertEquals("Delivered-To: me@here.org\nSubject: x\n\nbody\n", Bytes.str(qq.message.toByteArray()));
        assertEquals("owner@list.org", qq.sender);
        assertEquals(List.of("a@b.c", "d@e.f"), qq.rcpts);
    }

    @Test
    void forwardNeedsItsEnvironmentAndReportsQueueTrouble() {
        assertEquals(100, Helpers.forward(new Env(env), () -> qq, List.of(), new ByteArrayInputStream(new byte[0]), err));
        assertEquals("forward: fatal: NEWSENDER not set\n", Bytes.str(err.toByteArray()));
        env.put("NEWSENDER", Bytes.ascii(""));
        err.reset();
        assertEquals(100, Helpers.forward(new Env(env), () -> qq, List.of(), new ByteArrayInputStream(new byte[0]), err));
        assertEquals("forward: fatal: DTLINE not set\n", Bytes.str(err.toByteArray()));
        env.put("DTLINE", Bytes.ascii("Delivered-To: x\n"));
        qq.status = "Zqq read error (#4.3.0)";
        err.reset();
        assertEquals(111, Helpers.forward(new Env(env), () -> qq, List.of(), new ByteArrayInputStream(new byte[0]), err));
        assertEquals("forward: fatal: qq read error (#4.3.0)\n", Bytes.str(err.toByteArray()));
        err.reset();
        assertEquals(111, Helpers.forward(new Env(env), () -> {
            throw new IOException("Connection refused");
        }, List.of(), new ByteArrayInputStream(new byte[0]), err));
        assertEquals("forward: fatal: unable to fork: connection refused\n", Bytes.str(err.toByteArray()));
    }

    @Test
    void bouncesayingWithoutProgramBounces() {
        assertEquals(100, Helpers.bouncesaying(List.of(Bytes.ascii("This address is retired.")), err));
        assertEquals("This address is retired.\n", Bytes.str(err.toByteArray()));
        err.reset();
        assertEquals(100, Helpers.bouncesaying(List.of(), err));
        assertEquals("bouncesaying: usage: bouncesaying error [ program [ arg ... ] ]\n", Bytes.str(err.toByteArray()));
        err.reset();
        assertEquals(100, Helpers.except(List.of(), err));
        assertEquals("except: usage: except program [ arg ... ]\n", Bytes.str(err.toByteArray()));
    }

    @Test
    void prelineNeedsItsThreeLines() {
        assertEquals(100, Prepend.preline(new Env(env), List.of(Bytes.ascii("cat")), new ByteArrayInputStream(new byte[0]),
                err));
        assertEquals("preline: usage: preline cmd [ arg ... ]\n", Bytes.str(err.toByteArray()));
        assertEquals(100, Prepend.predate(List.of(), new ByteArrayInputStream(new byte[0]), err, 0));
    }

    @Test
    void predateWritesLocalTimeWithItsOffset() {
        assertEquals("Date: 6 Sep 1995 04:46:54 +0000\n", Bytes.str(Prepend.dateLine(810362814L, ZoneId.of("UTC"))));
        assertEquals("Date: 5 Sep 1995 21:46:54 -0700\n",
                Bytes.str(Prepend.dateLine(810362814L, ZoneId.of("America/Los_Angeles"))));
        assertEquals("Date: 6 Sep 1995 10:16:54 +0530\n", Bytes.str(Prepend.dateLine(810362814L, ZoneId.of("Asia/Kolkata"))));
    }
}
