// SPDX-License-Identifier: Unlicense
// Run by bench/remote-throughput (single-file source program, not part of the build).

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remote delivery throughput: feeds bin/qmail-rspawn of an installed PREFIX with spawn commands,
 * keeping CONCURRENCY deliveries in flight (qmail-send's concurrencyremote), to a fast SMTP sink
 * on 127.0.0.1 reached through control/smtproutes. Prints messages per second.
 *
 *   java RemoteThroughput.java PREFIX MODE MESSAGES CONCURRENCY
 *   java RemoteThroughput.java PREFIX sink 0 0     (only the sink, until killed)
 *
 * MODE is "inprocess" (the default qmail-rspawn) or "exec" (QMAILREMOTE=PREFIX/bin/qmail-remote,
 * one qmail-remote process per delivery). With REMOTE_SERVER=HOST:PORT in the environment the
 * mail goes there instead of to the sink (for instance our listener with STARTTLS, and
 * control/tlshosts/ in PREFIX to make qmail-remote use it, doc/TLS.md §8); the count of
 * reports that name TLS is printed. Runs as root: qmail-rspawn then runs as qmailr via
 * setpriv, as qmail-start would start it.
 */
public class RemoteThroughput {
    static final AtomicLong accepted = new AtomicLong();

    public static void main(String[] a) throws Exception {
        Path prefix = Path.of(a[0]);
        String mode = a[1];
        int messages = Integer.parseInt(a[2]);
        int conc = Integer.parseInt(a[3]);
        ServerSocket sink = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        Thread st = new Thread(() -> serve(sink), "sink");
        st.setDaemon(true);
        st.start();
        String remote = System.getenv("REMOTE_SERVER");
        Files.writeString(prefix.resolve("control/smtproutes"), remote != null
                ? ":[" + remote.substring(0, remote.lastIndexOf(':')) + "]" + remote.substring(remote.lastIndexOf(':')) + "\n"
                : ":[127.0.0.1]:" + sink.getLocalPort() + "\n");
        if (mode.equals("sink")) {
            System.out.println(sink.getLocalPort());
            System.out.flush();
            st.join();
            return;
        }
        Path dir = prefix.resolve("queue/mess/0");
        Files.createDirectories(dir);
        StringBuilder body = new StringBuilder("Received: (qmail 1 invoked by uid 0); 1 Jan 2026 00:00:00 -0000\n"
                + "From: bench@test.example\nTo: sink@sink.test\nSubject: bench\n\n");
        while (body.length() < 2048) {
            body.append("The quick brown fox jumps over the lazy dog. .dot at the end\n.leading dot line\n");
        }
        UserPrincipal qmailq = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("qmailq");
        for (int i = 0; i < conc; i++) {
            Path p = dir.resolve(Integer.toString(1000 + i));
            Files.writeString(p, body, StandardCharsets.ISO_8859_1);
            Files.setOwner(p, qmailq);
        }
        List<String> argv = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=qmailr", "--regid=qmail",
                "--init-groups", prefix.resolve("bin/qmail-rspawn").toString()));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = pb.environment();
        if (mode.equals("exec")) {
            env.put("QMAILREMOTE", prefix.resolve("bin/qmail-remote").toString());
        }
        Process rs = pb.start();
        OutputStream cmd = rs.getOutputStream();
        InputStream rep = new BufferedInputStream(rs.getInputStream(), 65536);
        int limit = rep.read();
        int sent = 0;
        int done = 0;
        int ok = 0;
        int tls = 0;
        Map<String, Integer> other = new HashMap<>();
        long t0 = System.nanoTime();
        for (int s = 0; s < conc && sent < messages; s++, sent++) {
            send(cmd, s);
        }
        cmd.flush();
        StringBuilder text = new StringBuilder();
        while (done < messages) {
            int slot = rep.read();
            text.setLength(0);
            for (int c; (c = rep.read()) > 0;) {
                text.append((char) c);
            }
            done++;
            if (text.charAt(0) == 'K') {
                ok++;
                if (text.indexOf("\nTLS ") >= 0) {
                    tls++;
                }
            } else {
                other.merge(text.toString(), 1, Integer::sum);
            }
            if (sent < messages) {
                send(cmd, slot);
                cmd.flush();
                sent++;
            }
        }
        long ns = System.nanoTime() - t0;
        cmd.close();
        rs.waitFor();
        System.out.printf("mode=%s limit=%d messages=%d concurrency=%d ok=%d tls=%d sink=%d seconds=%.2f msgs/s=%.0f%n",
                mode, limit, messages, conc, ok, tls, accepted.get(), ns / 1e9, messages / (ns / 1e9));
        if (!other.isEmpty()) {
            System.out.println("other reports: " + other);
        }
    }

    static void send(OutputStream cmd, int slot) throws IOException {
        cmd.write(slot);
        cmd.write(("0/" + (1000 + slot) + "\0bench@test.example\0sink" + slot + "@sink.test\0")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    static void serve(ServerSocket ss) {
        for (;;) {
            try {
                Socket s = ss.accept();
                Thread t = new Thread(() -> session(s));
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** An SMTP sink: 220, 250 to everything, 354 to DATA, 250 after the dot, 221 to QUIT. */
    static void session(Socket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream(), 16384);
             OutputStream out = s.getOutputStream()) {
            s.setTcpNoDelay(true);
            out.write("220 sink\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            byte[] line = new byte[65536];
            boolean data = false;
            for (;;) {
                int n = 0;
                int c;
                while ((c = in.read()) >= 0 && c != '\n') {
                    if (n < line.length) {
                        line[n++] = (byte) c;
                    }
                }
                if (c < 0) {
                    return;
                }
                String l = new String(line, 0, Math.min(n, 8), StandardCharsets.ISO_8859_1);
                if (data) {
                    if (n == 2 && line[0] == '.' && line[1] == '\r') {
                        data = false;
                        accepted.incrementAndGet();
                        out.write("250 ok\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    }
                } else if (l.startsWith("DATA")) {
                    data = true;
                    out.write("354 go\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } else if (l.startsWith("QUIT")) {
                    out.write("221 bye\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    return;
                } else {
                    out.write("250 ok\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            }
        } catch (IOException e) {
            // Client gone.
        }
    }
}
