package org.jqmail.send;

import static org.jqmail.send.QueueFixture.b;
import static org.jqmail.send.QueueFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jqmail.control.Date822;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole qmail-send loop in-process, with scripted spawns: qmail-send(8) end to end. */
class SendLoopTest {
    @TempDir
    Path home;
    SendHarness h;

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    private SendHarness harness() throws IOException {
        h = new SendHarness(home);
        h.f.control("locals", "example.test");
        return h;
    }

    @Test
    void localDeliveryLogsTheSpecSequenceAndCleansUp() throws IOException {
        harness();
        h.f.queueMessage(53, "Received: x\n\nhi\n", "u666\0p20345\0Fme@example.test\0Tme@example.test\0");
        h.start();
        h.awaitLog("end msg 53");
        assertEquals(0, h.term());
        assertEquals(List.of(
                "status: local 0/10 remote 0/20",
                "new msg 53",
                "info msg 53: bytes 16 from <me@example.test> qp 20345 uid 666",
                "starting delivery 1: msg 53 to local me@example.test",
                "status: local 1/10 remote 0/20",
                "delivery 1: success: did_1+0+0/",
                "status: local 0/10 remote 0/20",
                "end msg 53",
                "status: exiting"), h.f.logLines());
        assertEquals("7/53", s(h.commands[0].get(0).messfile()));
        assertEquals("me@example.test", s(h.commands[0].get(0).sender()));
        List<String> gone = List.of("todo/53", "intd/53", "info/7/53", "local/7/53", "mess/7/53");
        h.awaitGone(gone);
        for (String fn : gone) {
            assertFalse(h.f.exists(fn), fn);
        }
    }

    @Test
    void failuresBounceWithQsbmfTextToTheByte() throws IOException {
        harness();
        h.respond(0, c -> s(c.recipient()).startsWith("x@")
                ? "Dline one\n\nline three"
                : "DSorry, no mailbox here by that name. (#5.1.1)\n");
        h.f.queueMessage(60, "Received: (qmail 1 invoked by uid 0); 1 Jan 2020 00:00:00 -0000\n\nhello\n",
                "u0\0p1\0Fme@example.test\0Tnobody@example.test\0Tx@example.test\0");
        h.start();
        h.awaitLog("end msg 60");
        h.term();
        List<String> log = h.f.logLines();
        assertTrue(log.contains("delivery 1: failure: Sorry,_no_mailbox_here_by_that_name._(#5.1.1)/"), log.toString());
        assertTrue(log.contains("delivery 2: failure: line_one//line_three"), log.toString());
        assertEquals("bounce msg 60 qp 4242", log.get(log.indexOf("end msg 60") - 1));
        assertEquals(1, h.injected.size());
        SendHarness.Injected in = h.injected.get(0);
        assertEquals("", s(in.sender()));
        assertEquals("me@example.test", s(in.recipients().get(0)));
        assertEquals(1, in.recipients().size());
        assertEquals(golden("bounce-single.out", h.f.clock.t), s(in.message()));
        assertFalse(h.f.exists("bounce/60"));
    }

    @Test
    void aBouncedBounceGoesToDoublebouncetoAndATripleIsDiscarded() throws IOException {
        harness();
        h.f.control("bouncefrom", "mailer daemon");
        h.f.control("bouncehost", "bounces.example");
        h.f.control("doublebouncehost", "dbhost.example");
        h.respond(0, c -> "DSorry, no mailbox here by that name. (#5.1.1)\n");
        h.f.queueMessage(61, "Received: (qmail 1 invoked for bounce); 1 Jan 2020 00:00:00 -0000\n\nbounce body\n",
                "F\0Tme@example.test\0");
        h.f.queueMessage(62, "x", "F#@[]\0Tme@example.test\0");
        h.start();
        h.awaitLog("end msg 61");
        h.awaitLog("end msg 62");
        h.term();
        assertTrue(h.f.logLines().contains("triple bounce: discarding bounce/62"));
        assertEquals(1, h.injected.size());
        SendHarness.Injected in = h.injected.get(0);
        assertEquals("#@[]", s(in.sender()));
        assertEquals("postmaster@dbhost.example", s(in.recipients().get(0)));
        assertEquals(golden("bounce-double.out", h.f.clock.t), s(in.message()));
    }

    @Test
    void verpSendersAreExpandedPerRecipientAndStrippedForTheBounce() throws IOException {
        harness();
        h.respond(1, c -> "Dno.\n");
        h.f.queueMessage(63, "m", "Flist-@example.test-@[]\0Tbob@b.example\0");
        h.start();
        h.awaitLog("end msg 63");
        h.term();
        assertEquals("list-bob=b.example@example.test", s(h.commands[1].get(0).sender()));
        assertEquals("list-@example.test", s(h.injected.get(0).recipients().get(0)));
        assertTrue(h.f.logLines().contains("starting delivery 1: msg 63 to remote bob@b.example"));
        assertTrue(h.f.logLines().contains("status: local 0/10 remote 1/20"));
    }

    @Test
    void deferralKeepsTheRecordAndAlarmRetriesAtOnce() throws IOException {
        harness();
        AtomicInteger n = new AtomicInteger();
        h.respond(0, c -> n.incrementAndGet() == 1 ? "ZHome directory is sticky. (#4.2.1)\n" : "Kdid 1+0+0\n");
        h.f.queueMessage(70, "m", "Fa@b\0Tme@example.test\0");
        h.start();
        h.awaitLog("delivery 1: deferral: Home_directory_is_sticky._(#4.2.1)/");
        h.awaitLog("status: local 0/10 remote 0/20");
        assertTrue(h.f.exists("local/1/70"));
        h.send.signal("ALRM");
        h.awaitLog("end msg 70");
        h.term();
        assertTrue(h.f.logLines().contains("starting delivery 2: msg 70 to local me@example.test"));
    }

    @Test
    void aDeliveredRecordIsMarkedDoneInPlaceAndTheDeferredOneKept() throws IOException {
        harness();
        h.respond(0, c -> s(c.recipient()).startsWith("me@") ? "Kdid 1+0+0\n" : "Zlater\n");
        h.f.queueMessage(72, "m", "Fa@b\0Tme@example.test\0Tyou@example.test\0");
        h.start();
        h.awaitLog("delivery 1: success: did_1+0+0/");
        h.awaitLog("delivery 2: deferral: later/");
        h.awaitLog("status: local 0/10 remote 0/20");
        h.term();
        assertEquals("Dme@example.test\0Tyou@example.test\0", s(h.f.read("local/3/72")));
    }

    @Test
    void termWaitsForRunningDeliveriesAndStoresRetryTimes() throws Exception {
        harness();
        h.respond(0, c -> null);
        h.respond(1, c -> "Zlater\n");
        h.f.queueMessage(71, "m", "Fa@b\0Tme@example.test\0Tyou@remote.example\0");
        h.start();
        h.awaitLog("delivery 2: deferral: later/");
        h.send.signal("TERM");
        h.reply(0, 0, "Kdid 1+0+0\n");
        assertEquals(0, h.join());
        List<String> log = h.f.logLines();
        assertEquals(List.of("delivery 1: success: did_1+0+0/", "status: local 0/10 remote 0/20 exitasap",
                "status: exiting"), log.subList(log.size() - 3, log.size()));
        long birth = Files.getLastModifiedTime(h.f.queue.resolve("info/2/71")).toMillis() / 1000;
        long mtime = Files.getLastModifiedTime(h.f.queue.resolve("remote/2/71")).toMillis() / 1000;
        assertEquals(Passes.nextretry(birth, 1, h.f.clock.t), mtime);
        assertFalse(h.f.exists("local/2/71"));
        assertEquals("Tyou@remote.example\0", s(h.f.read("remote/2/71")));
    }

    @Test
    void aTemporaryFailurePastTheLifetimeBecomesPermanent() throws IOException {
        harness();
        h.f.control("queuelifetime", "0");
        h.f.clock.t += 10;
        h.respond(0, c -> "Ztry later\n");
        h.f.queueMessage(72, "m", "Fa@b\0Tme@example.test\0");
        h.start();
        h.awaitLog("end msg 72");
        h.term();
        assertTrue(h.f.logLines().contains("delivery 1: failure: try_later/I'm_not_going_to_try_again;"
                + "_this_message_has_been_in_the_queue_too_long./"), h.f.logLines().toString());
        assertTrue(s(h.injected.get(0).message()).contains("<me@example.test>:\ntry later\n"
                + "I'm not going to try again; this message has been in the queue too long.\n\n"));
    }

    @Test
    void reportsForUnknownSlotsAndMangledReportsAreLogged() throws IOException {
        harness();
        h.respond(0, c -> "?what\n");
        h.f.queueMessage(73, "m", "Fa@b\0Tme@example.test\0");
        h.start();
        h.awaitLog("delivery 1: report mangled, will defer");
        h.reply(0, 7, "Kstray\n");
        h.awaitLog("warning: internal error: delivery report out of range");
        h.term();
    }

    @Test
    void restartReschedulesPreprocessedMessagesFromInfo() throws IOException {
        harness();
        Files.write(h.f.queue.resolve("mess/4/50"), b("m"));
        Files.write(h.f.queue.resolve("info/4/50"), b("Fa@b\0"));
        Files.write(h.f.queue.resolve("local/4/50"), b("Dme@example.test\0Tyou@example.test\0"));
        h.start();
        h.awaitLog("end msg 50");
        h.term();
        assertEquals(List.of("status: local 0/10 remote 0/20",
                "starting delivery 1: msg 50 to local you@example.test",
                "status: local 1/10 remote 0/20",
                "delivery 1: success: did_1+0+0/",
                "status: local 0/10 remote 0/20",
                "end msg 50",
                "status: exiting"), h.f.logLines());
    }

    @Test
    void concurrencyIsCappedByTheSpawnsAnnouncement() throws IOException {
        harness();
        h.f.control("concurrencylocal", "300");
        h.announce(0, 2);
        h.start();
        h.awaitLog("status: local 0/2 remote 0/20");
        h.term();
    }

    @Test
    void lostSpawnConnectionMakesItExit() throws IOException {
        harness();
        h.start();
        h.awaitLog("status: local 0/10 remote 0/20");
        h.killSpawn(1);
        h.awaitLog("alert: oh no! lost spawn connection! dying...");
        assertEquals(0, h.join());
        assertEquals("status: exiting", h.f.logLines().get(h.f.logLines().size() - 1));
    }

    @Test
    void startupFailuresAreAlerts() throws IOException {
        harness();
        h.announce(1, -1);
        h.start();
        assertEquals(111, h.join());
        assertEquals(List.of("alert: cannot start: hath the daemon spawn no fire?"), h.f.logLines());
    }

    @Test
    void aHeldMutexMeansAlreadyRunning() throws IOException {
        harness();
        h.mutexFree = false;
        h.start();
        assertEquals(111, h.join());
        assertEquals(List.of("alert: cannot start: qmail-send is already running"), h.f.logLines());
    }

    @Test
    void noLocalsAndNoMeMeansNoControlsSaidOnceWhileWaiting() throws Exception {
        harness();
        Files.delete(home.resolve("control/me"));
        Files.delete(home.resolve("control/locals"));
        h.start();
        h.awaitLog("alert: cannot start: unable to read controls");
        // It keeps trying (the fake clock's sleeps are instant) without saying it again.
        int sleeps = h.f.clock.sleeps;
        while (h.f.clock.sleeps < sleeps + 3 * Send.CONTROLS_RETRY) {
            Thread.sleep(5);
        }
        assertEquals(0, h.term());
        assertEquals(List.of("alert: cannot start: unable to read controls", "status: exiting"), h.f.logLines());
    }

    @Test
    void aControlFileOverItsBoundIsSaidOnceAndReadAgainUntilItIsFixed() throws Exception {
        harness();
        Path me = home.resolve("control/me");
        Files.writeString(me, "x".repeat(org.jqmail.control.Control.LINE_MAX + 1) + "\n");
        h.start();
        String alert = "alert: cannot start: unable to read controls: " + me
                + ": its first line is longer than 1048576 bytes, the bound on control files";
        h.awaitLog(alert);
        int sleeps = h.f.clock.sleeps;
        while (h.f.clock.sleeps < sleeps + 3 * Send.CONTROLS_RETRY) {
            Thread.sleep(5);
        }
        // A 200 KB me is well within the bound: qmail reads any length.
        Files.writeString(me, "y".repeat(200_000) + "\n");
        h.awaitLog("status: local 0/10 remote 0/20");
        assertEquals(1, h.f.logLines().stream().filter(l -> l.startsWith("alert:")).count(), h.f.logLines().toString());
        assertEquals(alert, h.f.logLines().get(0));
        assertEquals(0, h.term());
    }

    private static String golden(String name, long now) throws IOException {
        try (InputStream in = SendLoopTest.class.getResourceAsStream("/" + name)) {
            return "Date: " + s(Date822.fmt(now)) + s(in.readAllBytes());
        }
    }
}
