package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * tcp-env on a real TCP connection (tcpserver accepts it and runs tcp-env with PROTO removed,
 * as inetd would): the variables of tcp-environ(5) as the program sees them, names from a
 * dnsmasq on a loopback port (never the outside DNS), TCPREMOTEINFO from an identification
 * server on the client's address.
 */
class TcpEnvIT {
    static TestHome home;
    static Dnsmasq dns;

    @BeforeAll
    static void start() throws Exception {
        home = TestHome.create();
        dns = Dnsmasq.start(home.dir(), List.of("127.in-addr.arpa"),
                List.of("ptr-record=1.0.0.127.in-addr.arpa,Local.TEST.example"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (dns != null) {
            dns.close();
        }
        if (home != null) {
            home.close();
        }
    }

    /** What the program under tcp-env printed for one connection from 127.0.0.2. */
    static String session(String dnsServer, String... tcpEnvArgs) throws Exception {
        int port = TestHome.freePort();
        List<String> argv = new ArrayList<>(List.of("/usr/bin/tcpserver", "-R", "-H", "-l", "0", "127.0.0.1",
                Integer.toString(port), "/usr/bin/env", "-u", "PROTO", "TCPREMOTEHOST=stale", "TCPREMOTEINFO=stale",
                "TCPLOCALHOST=stale", "JQMAIL_DNS_SERVER=" + dnsServer, home.bin("tcp-env").toString()));
        argv.addAll(List.of(tcpEnvArgs));
        argv.addAll(List.of("/bin/sh", "-c", "env | grep -E '^(PROTO|TCP)' | sort"));
        TestHome.Proc t = home.start(argv.toArray(new String[0]));
        try {
            TestHome.await("tcpserver", () -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            }, Duration.ofSeconds(30));
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                s.setSoTimeout(60_000);
                String out = new String(s.getInputStream().readAllBytes(), ISO_8859_1);
                return out.replace("TCPREMOTEPORT=" + s.getLocalPort() + "\n", "TCPREMOTEPORT=P\n")
                        .replace("TCPLOCALPORT=" + port + "\n", "TCPLOCALPORT=L\n");
            }
        } finally {
            home.stop(t);
        }
    }

    @Test
    void theVariablesOfTcpEnviron() throws Exception {
        assertEquals("PROTO=TCP\n"
                + "TCPLOCALHOST=local.test.example\n"
                + "TCPLOCALIP=127.0.0.1\n"
                + "TCPLOCALPORT=L\n"
                + "TCPREMOTEIP=127.0.0.2\n"
                + "TCPREMOTEPORT=P\n", session(dns.server(), "-R"));
    }

    @Test
    void aDnsServerThatDoesNotAnswerGivesSoftdnserror() throws Exception {
        // Nothing listens on this UDP port: the queries fail at once, temporarily.
        int none = Dnsmasq.freePort();
        assertEquals("PROTO=TCP\n"
                + "TCPLOCALHOST=softdnserror\n"
                + "TCPLOCALIP=127.0.0.1\n"
                + "TCPLOCALPORT=L\n"
                + "TCPREMOTEHOST=softdnserror\n"
                + "TCPREMOTEIP=127.0.0.2\n"
                + "TCPREMOTEPORT=P\n", session("127.0.0.1:" + none, "-R"));
    }

    @Test
    void theIdentificationServerOfTheClientGivesTcpremoteinfo() throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "port 113 needs root");
        ServerSocket identd;
        try {
            identd = new ServerSocket(113, 5, InetAddress.getByName("127.0.0.2"));
        } catch (IOException e) {
            Assumptions.abort("127.0.0.2:113 is taken: " + e);
            return;
        }
        List<String> asked = new ArrayList<>();
        Thread t = new Thread(() -> {
            try (identd; Socket c = identd.accept()) {
                InputStream in = c.getInputStream();
                StringBuilder q = new StringBuilder();
                for (int ch; (ch = in.read()) >= 0 && ch != '\n';) {
                    q.append((char) ch);
                }
                asked.add(q.toString());
                OutputStream out = c.getOutputStream();
                out.write((q.toString().trim() + " : USERID : UNIX : joe user\r\n").getBytes(ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                asked.add("error " + e);
            }
        });
        t.start();
        String env = session(dns.server(), "-t10");
        t.join(60_000);
        assertEquals(1, asked.size(), asked.toString());
        assertEquals("PROTO=TCP\n"
                + "TCPLOCALHOST=local.test.example\n"
                + "TCPLOCALIP=127.0.0.1\n"
                + "TCPLOCALPORT=L\n"
                + "TCPREMOTEINFO=joeuser\n"
                + "TCPREMOTEIP=127.0.0.2\n"
                + "TCPREMOTEPORT=P\n", env);
        assertEquals(true, asked.get(0).matches("\\d+ , \\d+\r"), asked.get(0));
    }

    @Test
    void withoutAProgramOrASocketItExits111() throws IOException {
        assertEquals(111, home.run(null, "tcp-env").exit());
        assertEquals(111, home.run(null, "tcp-env", "-R", "true").exit());
        TestHome.Result r = TestHome.exec(List.of("env", "PROTO=TCP", home.bin("tcp-env").toString(), "sh", "-c",
                "echo $PROTO; exit 7"), null, Duration.ofMinutes(1));
        assertEquals(7, r.exit());
        assertEquals("TCP\n", r.outText());
    }
}
