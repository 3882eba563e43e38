package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Swapping one program for another (doc/ARCHITECTURE.md §7): our qmail-start and qmail-send run
 * with {@code bin/qmail-lspawn} and {@code bin/qmail-rspawn} replaced by a stand-in that is not
 * ours at all, a {@code /bin/sh} script written here that knows nothing but
 * doc/PROTOCOLS.md §3. It announces its own concurrency, records every byte qmail-send writes to it
 * and a copy of every message file it is asked for, and answers with the documented report bytes:
 * success for one recipient, a permanent failure for another, a temporary failure for a third
 * (success when retried), holding its first three reports and sending them in reverse order
 * (reports may arrive in any order). The test asserts those bytes, qmail-send's log lines
 * (qmail-log(5)) to the byte, and the bounce qmail-send injects, which reaches the stand-in too.
 */
@Tag("root")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpawnSubstitutionIT {
    static final String D = TestHome.FQDN;
    static final String OWNER = "owner@" + D;
    static final int LOCAL_LIMIT = 5;
    static final int REMOTE_LIMIT = 7;
    static final String STATUS = "status: local %d/" + LOCAL_LIMIT + " remote %d/" + REMOTE_LIMIT;
    static final String DATE = Qsbmf.DATE;

    /**
     * The stand-in. {@code @REC@}, {@code @MESS@}, {@code @LIMIT@} and {@code @HOLD@} are
     * filled in per program. It reads the commands one byte at a time (dd), since a command
     * is not line-structured and a read must not run into the next one.
     */
    static final String STAND_IN = """
            #!/bin/sh
            # A stand-in for qmail-lspawn or qmail-rspawn, written by SpawnSubstitutionIT: it
            # speaks spec 4.1 and 4.2 and nothing else. Bytes read on fd 0 are appended to
            # REC/NAME.in, the message file of command K is copied to REC/NAME.msg.K.
            rec='@REC@'
            name=${0##*/}
            for a in "$@"; do printf '%s\\n' "$a"; done > "$rec/$name.argv"
            # spawn.c works in queue/mess; so does any spawn daemon.
            cd '@MESS@' || exit 111
            printf "\\\\$(printf %o @LIMIT@)"
            byte() {
              dd bs=1 count=1 2>/dev/null | tee -a "$rec/$name.in" | od -An -tu1 | tr -d ' \\n'
            }
            field() {
              f=
              while c=$(byte) && test -n "$c" && test "$c" != 0; do
                f=$f$(printf "\\\\$(printf %o "$c")")
              done
            }
            flush() {
              i=$n
              while test "$i" -gt 0 && test -e "$rec/$name.ans.$i"; do
                cat "$rec/$name.ans.$i"
                rm -f "$rec/$name.ans.$i"
                i=$((i - 1))
              done
            }
            n=0
            while slot=$(byte) && test -n "$slot"; do
              field; mess=$f
              field; sender=$f
              field; recip=$f
              n=$((n + 1))
              cat "$mess" > "$rec/$name.msg.$n"
              case ${recip%@*} in
                bad) r='DSorry, the stand-in refuses it. (#5.1.1)' ;;
                later)
                  if test -e "$rec/$name.later"; then
                    r='Kthe stand-in took it the second time.'
                  else
                    : > "$rec/$name.later"
                    r='ZSorry, the stand-in defers it. (#4.2.1)'
                  fi ;;
                *) r='Kthe stand-in took it.' ;;
              esac
              { printf "\\\\$(printf %o "$slot")"; printf '%s\\n' "$r"; printf '\\000'; } > "$rec/$name.ans.$n"
              if test "$n" -ge @HOLD@; then flush; fi
            done
            flush
            exit 0
            """;

    TestHome home;
    MailSystem sys;
    Path rec;

    @BeforeAll
    void startSystem() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: qmail-start as root, the stand-ins as root and qmailr");
        home = TestHome.create();
        Assumptions.assumeTrue(home.has("qmail-start") && home.has("qmail-smtpd-listener"),
                "the delivery programs are not all built");
        rec = home.dir().resolve("stand-in");
        Files.createDirectory(rec);
        // The rspawn stand-in runs as qmailr.
        Files.setPosixFilePermissions(rec, PosixFilePermissions.fromString("rwxrwxrwx"));
        standIn("qmail-lspawn", LOCAL_LIMIT, 3);
        standIn("qmail-rspawn", REMOTE_LIMIT, 1);
        sys = new MailSystem(home);
        sys.ready = String.format(STATUS, 0, 0);
        sys.start();
    }

    @AfterAll
    void stopSystem() throws Exception {
        if (sys != null) {
            sys.close();
        }
        if (home != null) {
            home.close();
        }
    }

    /** Replaces {@code bin/NAME} by the stand-in. */
    void standIn(String name, int limit, int hold) throws IOException {
        String s = STAND_IN.replace("@REC@", rec.toString())
                .replace("@MESS@", home.queue().resolve("mess").toString())
                .replace("@LIMIT@", Integer.toString(limit)).replace("@HOLD@", Integer.toString(hold));
        Path p = home.bin(name);
        Files.delete(p);
        Files.write(p, s.getBytes(ISO_8859_1));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    byte[] recorded(String name) throws IOException {
        Path p = rec.resolve(name);
        return Files.exists(p) ? Files.readAllBytes(p) : new byte[0];
    }

    static String str(byte[] b) {
        return new String(b, ISO_8859_1);
    }

    /** The spawn command of doc/PROTOCOLS.md §3. */
    static String command(int slot, String messfile, String sender, String recipient) {
        return (char) slot + messfile + "\0" + sender + "\0" + recipient + "\0";
    }

    /** queue/mess's name of message {@code id}: {@code (id mod 23)/id}. */
    static String messfile(long id) {
        return (id % 23) + "/" + id;
    }

    /** Waits for a log line equal to {@code line}. */
    /**
     * Waits for {@code line} in the log after the last line equal to {@code first}: a line
     * naming a message id can stand earlier in the log for another message with the same id.
     */
    void awaitLineAfter(String first, String line) throws InterruptedException {
        TestHome.await("log line " + line + " after " + first, () -> logFrom(first).contains(line),
                Duration.ofSeconds(90));
    }

    /**
     * qmail-send's log from the last line equal to {@code first} on (empty until it appears);
     * the last, since message ids are inode numbers, which the file system reuses.
     */
    List<String> logFrom(String first) {
        List<String> l = sys.log();
        int i = l.lastIndexOf(first);
        return i < 0 ? List.of() : l.subList(i, l.size());
    }

    /** The number of the first delivery logged after line {@code first} (its third line). */
    long firstDelivery(String first) throws InterruptedException {
        awaitLines(first, 3);
        Matcher dm = Pattern.compile("starting delivery (\\d+): .*").matcher(logFrom(first).get(2));
        assertTrue(dm.matches(), logFrom(first).toString());
        return Long.parseLong(dm.group(1));
    }

    /** Waits until the log from line {@code first} on has at least {@code n} lines. */
    void awaitLines(String first, int n) throws InterruptedException {
        TestHome.await(n + " log lines from " + first, () -> logFrom(first).size() >= n, Duration.ofSeconds(90));
    }

    @Test
    void localDeliveriesSpeakTheSpawnProtocolAndTheirReportsMakeTheLogAndTheBounce() throws Exception {
        int before = recorded("qmail-lspawn.in").length;
        String reply = sys.smtp(OWNER, List.of("good@" + D, "bad@" + D, "later@" + D), "Subject: stand-in\n\nbody\n");
        Matcher rm = Pattern.compile("250 ok (\\d+) qp (\\d+)").matcher(reply);
        assertTrue(rm.matches(), reply);
        String qp = rm.group(2);
        String info = sys.awaitLog("info msg ", " qp " + qp + " uid ", Duration.ofSeconds(60));
        long id = Long.parseLong(info.substring("info msg ".length(), info.indexOf(':')));
        String mf = messfile(id);
        String first = "new msg " + id;
        long d = firstDelivery(first);
        // 14 lines: every report is in, so the stand-in has finished copying the message.
        awaitLines(first, 14);
        byte[] mess = Files.readAllBytes(rec.resolve("qmail-lspawn.msg.1"));
        List<String> want = new ArrayList<>(List.of(
                first,
                "info msg " + id + ": bytes " + mess.length + " from <" + OWNER + "> qp " + qp + " uid "
                        + TestHome.uid("qmaild"),
                "starting delivery " + d + ": msg " + id + " to local good@" + D,
                String.format(STATUS, 1, 0),
                "starting delivery " + (d + 1) + ": msg " + id + " to local bad@" + D,
                String.format(STATUS, 2, 0),
                "starting delivery " + (d + 2) + ": msg " + id + " to local later@" + D,
                String.format(STATUS, 3, 0),
                "delivery " + (d + 2) + ": deferral: Sorry,_the_stand-in_defers_it._(#4.2.1)/",
                String.format(STATUS, 2, 0),
                "delivery " + (d + 1) + ": failure: Sorry,_the_stand-in_refuses_it._(#5.1.1)/",
                String.format(STATUS, 1, 0),
                "delivery " + d + ": success: the_stand-in_took_it./",
                String.format(STATUS, 0, 0)));
        assertEquals(want, logFrom(first), "qmail-send's log");

        // The deferred recipient waits for its retry (birth + 100 s); SIGALRM makes it due now.
        String retry = "starting delivery " + (d + 3) + ": msg " + id + " to local later@" + D;
        TestHome.await("the retry after SIGALRM", () -> {
            TestHome.exec(List.of("kill", "-ALRM", Long.toString(sys.send.pid())), null, Duration.ofSeconds(10));
            long until = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < until) {
                if (sys.log().contains(retry)) {
                    return true;
                }
                Thread.sleep(20);
            }
            return false;
        }, Duration.ofSeconds(60));
        String bounceLine = sys.awaitLog("bounce msg " + id + " qp ", Duration.ofSeconds(60));
        String bqp = bounceLine.substring(bounceLine.lastIndexOf(' ') + 1);
        String binfo = sys.awaitLog("info msg ", " qp " + bqp + " uid ", Duration.ofSeconds(60));
        long bid = Long.parseLong(binfo.substring("info msg ".length(), binfo.indexOf(':')));
        awaitLineAfter(bounceLine, "end msg " + bid);
        byte[] bmess = Files.readAllBytes(rec.resolve("qmail-lspawn.msg.5"));
        want.addAll(List.of(
                retry,
                String.format(STATUS, 1, 0),
                "delivery " + (d + 3) + ": success: the_stand-in_took_it_the_second_time./",
                String.format(STATUS, 0, 0),
                bounceLine,
                "end msg " + id,
                "new msg " + bid,
                "info msg " + bid + ": bytes " + bmess.length + " from <> qp " + bqp + " uid " + TestHome.uid("qmails"),
                "starting delivery " + (d + 4) + ": msg " + bid + " to local " + OWNER,
                String.format(STATUS, 1, 0),
                "delivery " + (d + 4) + ": success: the_stand-in_took_it./",
                String.format(STATUS, 0, 0),
                "end msg " + bid));
        assertEquals(want, logFrom(first), "qmail-send's log");

        byte[] in = recorded("qmail-lspawn.in");
        assertEquals(command(0, mf, OWNER, "good@" + D)
                + command(1, mf, OWNER, "bad@" + D)
                + command(2, mf, OWNER, "later@" + D)
                + command(0, mf, OWNER, "later@" + D)
                + command(0, messfile(bid), "", OWNER),
                str(in).substring(before), "the commands qmail-lspawn got on fd 0");
        assertEquals("./Maildir/\n", str(recorded("qmail-lspawn.argv")), "qmail-lspawn's arguments");
        assertTrue(Pattern.compile("Received: \\(qmail \\d+ invoked from network\\); " + DATE + "\n"
                + "Received: from [^\n]*\n  by [^\n]* with SMTP; " + DATE + "\n"
                + "Subject: stand-in\n\nbody\n").matcher(str(mess)).matches(), str(mess));
        for (int k = 2; k <= 4; k++) {
            assertEquals(str(mess), str(recorded("qmail-lspawn.msg." + k)), "message of command " + k);
        }
        String bounce = "Received: \\(qmail " + bqp + " invoked for bounce\\); " + DATE + "\n"
                + Qsbmf.notice(D, OWNER, "bad@" + D, "Sorry, the stand-in refuses it. (#5.1.1)")
                + Pattern.quote("Return-Path: <" + OWNER + ">\n" + str(mess));
        assertTrue(Pattern.compile(bounce).matcher(str(bmess)).matches(), str(bmess));
    }

    @Test
    void remoteDeliveriesSpeakTheSameProtocolOnFds3And4() throws Exception {
        int before = recorded("qmail-rspawn.in").length;
        String reply = sys.smtp(OWNER, List.of("far@remote.example"), "Subject: far\n\naway\n");
        String qp = reply.substring(reply.lastIndexOf(' ') + 1);
        String info = sys.awaitLog("info msg ", " qp " + qp + " uid ", Duration.ofSeconds(60));
        long id = Long.parseLong(info.substring("info msg ".length(), info.indexOf(':')));
        String first = "new msg " + id;
        long d = firstDelivery(first);
        awaitLineAfter(first, "end msg " + id);
        List<String> log = logFrom(first);
        List<String> want = List.of(
                first,
                info,
                "starting delivery " + d + ": msg " + id + " to remote far@remote.example",
                String.format(STATUS, 0, 1),
                "delivery " + d + ": success: the_stand-in_took_it./",
                String.format(STATUS, 0, 0),
                "end msg " + id);
        assertEquals(want, log.subList(0, want.size()), "qmail-send's log");
        String in = str(recorded("qmail-rspawn.in")).substring(before);
        assertEquals(command(0, messfile(id), OWNER, "far@remote.example"), in, "the commands qmail-rspawn got on fd 0");
        assertEquals("", str(recorded("qmail-rspawn.argv")), "qmail-rspawn's arguments");
    }
}
