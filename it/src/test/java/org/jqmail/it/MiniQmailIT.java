package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * qmail's answer to outgrowing one machine (doc/QMTP.md §5): two hubs, each a whole jqmail
 * with qmail-qmqpd under tcpserver on port 628 of its own loopback address, and two mini-qmail
 * front ends ({@code scripts/install --mini}) whose {@code control/qmqpservers} list both hubs
 * in opposite orders. Messages go in through the front ends' qmail-inject; halfway one hub's
 * QMQP service stops. Every message qmail-inject accepted must be delivered, at least once, by
 * one of the hubs; none is lost. Root only (port 628, the hubs' accounts).
 */
class MiniQmailIT {
    static final String[] HUB_IP = {"127.0.63.1", "127.0.63.2"};
    static final int PER_FRONT = 6;
    static final Pattern ID = Pattern.compile("Subject: mini (\\S+)\n");

    @Test
    void everyAcceptedMessageIsDeliveredByAHubWhenOneHubStops() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "port 628 and the hubs' accounts need root");
        List<AutoCloseable> open = new ArrayList<>();
        try {
            TestHome[] hub = new TestHome[2];
            TestHome.Proc[] qmqpd = new TestHome.Proc[2];
            for (int h = 0; h < 2; h++) {
                hub[h] = TestHome.create();
                open.add(0, hub[h]);
                Path alias = hub[h].alias();
                MailSystem.maildir("alias", alias.resolve("Maildir"));
                MailSystem.dotQmail("alias", alias, ".qmail-default", "./Maildir/\n");
                hub[h].usersAssign("+:alias:" + TestHome.uid("alias") + ":" + TestHome.gid("alias") + ":" + alias
                        + ":-::\n.\n");
                MailSystem sys = new MailSystem(hub[h]).start();
                open.add(0, sys);
                qmqpd[h] = startQmqpd(hub[h], HUB_IP[h]);
            }
            TestHome[] front = new TestHome[2];
            for (int f = 0; f < 2; f++) {
                front[f] = TestHome.create(false, "--mini");
                open.add(0, front[f]);
                Path p = front[f].prefix();
                assertFalse(Files.exists(p.resolve("queue")), "a mini-qmail has no queue");
                assertFalse(Files.exists(p.resolve("service")), "a mini-qmail has no daemons");
                assertTrue(Files.readString(front[f].bin("qmail-queue")).contains("org.jqmail.qmtpd.QmailQmqpc"));
                front[f].control("qmqpservers", HUB_IP[f] + "\n" + HUB_IP[1 - f] + "\n");
            }
            Set<String> accepted = new HashSet<>();
            List<String> refused = new ArrayList<>();
            for (int i = 0; i < PER_FRONT; i++) {
                if (i == PER_FRONT / 2) {
                    hub[0].stop(qmqpd[0]);
                }
                for (int f = 0; f < 2; f++) {
                    String id = f + "." + i;
                    String msg = "From: sender@test.example\nTo: m" + f + "-" + i + "@test.example\nSubject: mini "
                            + id + "\n\nbody " + id + "\n";
                    TestHome.Result r = front[f].run(msg.getBytes(ISO_8859_1), "qmail-inject");
                    if (r.exit() == 0) {
                        accepted.add(id);
                    } else {
                        refused.add(id + ": " + r.exit() + " " + r.errText());
                    }
                }
            }
            // With one hub always up, nothing is refused.
            assertEquals(List.of(), refused);
            assertEquals(2 * PER_FRONT, accepted.size());
            TestHome.await("every accepted message in a hub's Maildir", () -> delivered(hub).containsAll(accepted),
                    Duration.ofSeconds(120));
            Set<String> atFirst = ids(hub[0]);
            Set<String> atSecond = ids(hub[1]);
            // Before the stop front end 0 used hub 0 and front end 1 hub 1; after it hub 1 took all.
            for (int i = 0; i < PER_FRONT; i++) {
                assertEquals(i < PER_FRONT / 2, atFirst.contains("0." + i), "0." + i);
                assertTrue(atSecond.contains("1." + i), "1." + i);
            }
            for (int i = PER_FRONT / 2; i < PER_FRONT; i++) {
                assertTrue(atSecond.contains("0." + i), "0." + i);
            }
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    static TestHome.Proc startQmqpd(TestHome home, String ip) throws Exception {
        TestHome.Proc p = home.start("/usr/bin/tcpserver", "-v", "-R", "-H", "-l", TestHome.FQDN,
                "-u", Integer.toString(TestHome.uid("qmaild")), "-g", Integer.toString(TestHome.gid("qmaild")),
                ip, "628", home.bin("qmail-qmqpd").toString());
        TestHome.await("qmail-qmqpd on " + ip + ":628", () -> {
            if (!p.alive()) {
                throw new AssertionError("tcpserver died: " + p.err());
            }
            try (Socket s = new Socket(ip, 628)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }, Duration.ofSeconds(30));
        return p;
    }

    static Set<String> ids(TestHome hub) throws IOException {
        Set<String> s = new HashSet<>();
        for (Path p : MailSystem.newMail(hub.alias().resolve("Maildir"))) {
            Matcher m = ID.matcher(new String(Files.readAllBytes(p), ISO_8859_1));
            if (m.find()) {
                s.add(m.group(1));
            }
        }
        return s;
    }

    static Set<String> delivered(TestHome[] hubs) throws IOException {
        Set<String> s = new HashSet<>();
        for (TestHome h : hubs) {
            s.addAll(ids(h));
        }
        return s;
    }
}
