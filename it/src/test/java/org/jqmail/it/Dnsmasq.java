package org.jqmail.it;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A dnsmasq serving only a test zone on a free loopback port, with no upstream, so that no test
 * looks up a name outside its zone: {@code dnsmasq -k -C FILE}, stopped by its pid. qmail-remote
 * and qmail-rspawn are pointed at it with {@code JQMAIL_DNS_SERVER=127.0.0.1:PORT}.
 */
final class Dnsmasq implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private Dnsmasq(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts dnsmasq in {@code dir} with the base options, {@code local=/ZONE/} for every zone,
     * and {@code records} (dnsmasq option lines such as {@code mx-host=...}).
     */
    static Dnsmasq start(Path dir, List<String> zones, List<String> records) throws IOException, InterruptedException {
        int port = freePort();
        List<String> conf = new ArrayList<>(List.of("port=" + port, "listen-address=127.0.0.1", "bind-interfaces",
                "no-resolv", "no-hosts", "no-poll", "pid-file=", "log-facility=-", "cache-size=0"));
        for (String z : zones) {
            conf.add("local=/" + z + "/");
        }
        conf.addAll(records);
        Path file = dir.resolve("dnsmasq.conf");
        Files.write(file, (String.join("\n", conf) + "\n").getBytes(StandardCharsets.ISO_8859_1));
        Path log = dir.resolve("dnsmasq.log");
        Process p = new ProcessBuilder("dnsmasq", "-k", "-C", file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Dnsmasq d = new Dnsmasq(p, port, log);
        try {
            TestHome.await("dnsmasq on port " + port, () -> {
                if (!p.isAlive()) {
                    throw new AssertionError("dnsmasq exited: " + Files.readString(log));
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                    return true;
                }
            }, Duration.ofSeconds(10));
        } catch (AssertionError | InterruptedException e) {
            d.close();
            throw e;
        }
        return d;
    }

    /** The value for {@code JQMAIL_DNS_SERVER}. */
    String server() {
        return "127.0.0.1:" + port;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** A port free for both TCP and UDP on 127.0.0.1. */
    static int freePort() throws IOException {
        for (int i = 0; i < 50; i++) {
            int p;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                p = s.getLocalPort();
            }
            try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), p))) {
                return p;
            } catch (IOException e) {
                // Taken for UDP: try another.
            }
        }
        throw new IOException("no free port");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
