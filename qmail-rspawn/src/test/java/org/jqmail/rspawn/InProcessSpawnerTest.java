package org.jqmail.rspawn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.jqmail.control.SpawnCommand;
import org.jqmail.control.SpawnLoop;
import org.jqmail.io.ByteBuf;
import org.jqmail.remote.Connector;
import org.jqmail.remote.Ipme;
import org.jqmail.remote.Remote;
import org.jqmail.remote.Resolver;
import org.jqmail.remote.Tcpto;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * qmail-rspawn's in-process deliveries through the spawn loop: commands in, folded reports out
 * (doc/PROTOCOLS.md §3), with scripted peers per recipient domain.
 */
class InProcessSpawnerTest {
    @TempDir
    Path home;
    Path mess;
    final Map<Integer, String> scripts = new ConcurrentHashMap<>();
    final Map<Integer, ByteArrayOutputStream> received = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(home.resolve("control"));
        Files.write(home.resolve("control/me"), "me.test\n".getBytes(StandardCharsets.ISO_8859_1));
        mess = home.resolve("queue/mess");
        Files.createDirectories(mess.resolve("4"));
        Files.write(mess.resolve("4/27"), ".hello\nworld\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Every domain "dN.test" has one MX whose address is 192.0.2.N. */
    final Resolver dns = new Resolver() {
        @Override
        public List<Mx> mx(byte[] name) throws HardFail {
            String n = new String(name, StandardCharsets.ISO_8859_1);
            if (!n.startsWith("d")) {
                throw new HardFail("nx");
            }
            return List.of(new Mx(10, ("mx." + n).getBytes(StandardCharsets.ISO_8859_1)));
        }

        @Override
        public int[] a(byte[] name) throws HardFail {
            String n = new String(name, StandardCharsets.ISO_8859_1);
            if (!n.startsWith("mx.d")) {
                throw new HardFail("nx");
            }
            return new int[] {0xc0000200 | Integer.parseInt(n.substring(4, n.indexOf('.', 4)))};
        }
    };

    final Connector peers = (ip, port, tc, tr) -> {
        String s = scripts.get(ip & 0xff);
        if (s == null) {
            throw new ConnectException("Connection refused");
        }
        byte[] replies = s.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        received.put(ip & 0xff, rec);
        return new Connector.Connection() {
            int pos;

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == replies.length) {
                    return -1;
                }
                b[off] = replies[pos++];
                return 1;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                rec.write(b, off, len);
            }

            @Override
            public void close() {
            }
        };
    };

    final Tcpto.Store noTable = new Tcpto.Store() {
        @Override
        public int lockAndRead(byte[] buf) {
            return -1;
        }

        @Override
        public void write(int offset, byte[] buf, int off, int len) {
        }

        @Override
        public void release() {
        }
    };

    List<String> run(SpawnCommand... cmds) throws IOException {
        InProcessSpawner sp = new InProcessSpawner(
                n -> new Remote.Env(home, dns, Ipme.of(), noTable, () -> 1_700_000_000L, 100 + n, peers, 25));
        ByteBuf in = new ByteBuf(1 << 16);
        for (SpawnCommand c : cmds) {
            in.append(c.encode());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SpawnLoop(new java.io.ByteArrayInputStream(in.toByteArray()), out, mess, 20, -1, sp).run();
        byte[] o = out.toByteArray();
        List<String> r = new ArrayList<>();
        r.add("limit=" + o[0]);
        for (int i = 1; i < o.length;) {
            int slot = o[i++] & 0xff;
            int j = i;
            while (o[j] != 0) {
                j++;
            }
            r.add(slot + ":" + new String(o, i, j - i, StandardCharsets.ISO_8859_1));
            i = j + 1;
        }
        java.util.Collections.sort(r.subList(1, r.size()));
        return r;
    }

    static SpawnCommand cmd(int slot, String sender, String rcpt) {
        return new SpawnCommand(slot, "4/27".getBytes(StandardCharsets.ISO_8859_1),
                sender.getBytes(StandardCharsets.ISO_8859_1), rcpt.getBytes(StandardCharsets.ISO_8859_1));
    }

    static final String G = "220 hi\r\n250 h\r\n250 m\r\n";

    static Stream<Arguments> outcomes() {
        return Stream.of(
            Arguments.of("accepted", "250 r\r\n354 d\r\n250 ok 42\r\n",
                "K192.0.2.1 accepted message.\nRemote host said: 250 ok 42\n"),
            Arguments.of("rcpt 550 bounces with both texts", "550 no such user\r\n",
                "D192.0.2.1 does not like recipient.\nRemote host said: 550 no such user\nGiving up on 192.0.2.1.\n"),
            Arguments.of("rcpt 450 defers", "450 greylisted\r\n",
                "Z192.0.2.1 does not like recipient.\nRemote host said: 450 greylisted\nGiving up on 192.0.2.1.\n"),
            Arguments.of("data 554 bounces", "250 r\r\n554 no data\r\n",
                "D192.0.2.1 failed on DATA command.\nRemote host said: 554 no data\n"),
            Arguments.of("after-data 552 bounces", "250 r\r\n354 d\r\n552 too big\r\n",
                "D192.0.2.1 failed after I sent the message.\nRemote host said: 552 too big\n"),
            Arguments.of("after-data 451 defers", "250 r\r\n354 d\r\n451 later\r\n",
                "Z192.0.2.1 failed after I sent the message.\nRemote host said: 451 later\n"),
            Arguments.of("greeting 421 defers", null,
                "ZConnected to 192.0.2.1 but greeting failed.\nRemote host said: 421 busy\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outcomes")
    void foldsEachOutcome(String name, String rest, String report) throws IOException {
        scripts.put(1, rest == null ? "421 busy\r\n" : G + rest);
        assertEquals(List.of("limit=20", "7:" + report), run(cmd(7, "s@x.test", "joe@d1.test")));
    }

    @Test
    void messageGoesOutDotStuffedAndTheDomainIsTakenAfterTheLastAt() throws IOException {
        scripts.put(2, G + "250 r\r\n354 d\r\n250 ok\r\n");
        run(cmd(0, "", "a@b@d2.test"));
        assertEquals("HELO me.test\r\nMAIL FROM:<>\r\nRCPT TO:<\"a@b\"@d2.test>\r\nDATA\r\n..hello\r\nworld\r\n.\r\nQUIT\r\n",
                received.get(2).toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void lookupAndConnectionFailuresAreSingleReports() throws IOException {
        assertEquals(List.of("limit=20",
                "1:DSorry, I couldn't find any host named nowhere.test. (#5.1.2)\n",
                "2:ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n"),
                run(cmd(1, "s@x", "a@nowhere.test"), cmd(2, "s@x", "b@d9.test")));
    }

    @Test
    void concurrentDeliveriesEachGetTheirOwnReport() throws IOException {
        List<SpawnCommand> cmds = new ArrayList<>();
        List<String> expect = new ArrayList<>();
        expect.add("limit=20");
        for (int i = 0; i < 20; i++) {
            scripts.put(10 + i, G + "250 r\r\n354 d\r\n250 ok " + i + "\r\n");
            cmds.add(cmd(i, "s@x", "u" + i + "@d" + (10 + i) + ".test"));
            expect.add(i + ":K192.0.2." + (10 + i) + " accepted message.\nRemote host said: 250 ok " + i + "\n");
        }
        java.util.Collections.sort(expect.subList(1, expect.size()));
        assertEquals(expect, run(cmds.toArray(new SpawnCommand[0])));
    }

    @Test
    void messageThatVanishedAfterValidationIsTemporary() throws IOException {
        InProcessSpawner sp = new InProcessSpawner(n -> {
            throw new AssertionError("no delivery expected");
        });
        assertEquals("Zqmail-spawn unable to open message. (#4.3.0)\n",
                new String(sp.deliver(0, mess.resolve("4/999"), new byte[0],
                        "a@b".getBytes(StandardCharsets.ISO_8859_1), 1), StandardCharsets.ISO_8859_1));
    }
}
