import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * bench/smtp-tls: SMTP throughput with STARTTLS against clear text, in one run, on one server
 * (doc/TLS.md §8). Usage:
 * java SmtpTls.java HOST PORT CONCURRENCY SECONDS RCPT [clear|tls|resume|both|all] [TLSv1.3|TLSv1.2]
 * Each client thread runs whole sessions back to back: connect, EHLO, [STARTTLS, handshake,
 * EHLO,] MAIL, RCPT, DATA with a 2 KB message, QUIT. Prints sessions per second and, for TLS,
 * the median and 90th percentile of the time from STARTTLS to the finished handshake, and how
 * many handshakes were full ones (the server's certificate checked) rather than resumptions.
 * {@code tls}: every session a full handshake (each session names another peer, so the JDK's
 * client cache, keyed by host and port, never offers a session); {@code resume}: the sessions
 * resume the server's sessions (TLS 1.2 session IDs, TLS 1.3 tickets) where the server lets
 * them. {@code both}: clear, tls, clear, tls; {@code all}: clear, tls, resume, twice.
 * With {@code SERVER_PID} in the environment, also the server process's CPU time (user and
 * system, all threads, from /proc) per session: the client runs on the same machine, so the
 * rates alone also carry the client's handshake cost (the client's own CPU per session is
 * printed too).
 */
public final class SmtpTls {
    static final byte[] BODY = ("Subject: bench\r\n\r\n" + "x".repeat(76) + "\r\n").repeat(26).getBytes(StandardCharsets.ISO_8859_1);

    public static void main(String[] a) throws Exception {
        String host = a[0];
        int port = Integer.parseInt(a[1]);
        int c = Integer.parseInt(a[2]);
        int secs = Integer.parseInt(a[3]);
        String rcpt = a[4];
        String mode = a.length > 5 ? a[5] : "both";
        String proto = a.length > 6 ? a[6] : null;
        SSLContext ctx = SSLContext.getInstance(proto == null ? "TLS" : proto);
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] x, String s) { }
            public void checkServerTrusted(X509Certificate[] x, String s) {
                FULL.incrementAndGet();
            }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        String[] modes = switch (mode) {
            case "both" -> new String[] {"clear", "tls", "clear", "tls"};
            case "all" -> new String[] {"clear", "tls", "resume", "clear", "tls", "resume"};
            default -> new String[] {mode};
        };
        for (String m : modes) {
            run(ctx, host, port, c, secs, rcpt, m);
        }
    }

    static final AtomicLong FULL = new AtomicLong();
    static final AtomicLong PEER = new AtomicLong();

    static void run(SSLContext ctx, String host, int port, int c, int secs, String rcpt, String mode) throws Exception {
        boolean tls = !mode.equals("clear");
        boolean resume = mode.equals("resume");
        FULL.set(0);
        long cpu0 = serverCpuTicks();
        long self0 = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
        AtomicLong done = new AtomicLong();
        List<Long> hs = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + secs * 1_000_000_000L;
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        session(ctx, host, port, rcpt, tls, resume, hs);
                        done.incrementAndGet();
                    } catch (IOException e) {
                        System.err.println("session failed: " + e);
                    }
                }
            });
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) {
            t.join();
        }
        String h = "";
        if (tls && !hs.isEmpty()) {
            List<Long> s = new ArrayList<>(hs);
            Collections.sort(s);
            h = String.format(" handshake median %.1f ms p90 %.1f ms, %d of %d full", s.get(s.size() / 2) / 1e6,
                    s.get(s.size() * 9 / 10) / 1e6, FULL.get(), s.size());
        }
        long cpu1 = serverCpuTicks();
        long self1 = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
        if (cpu0 >= 0 && done.get() > 0) {
            h += String.format(", server CPU %.2f ms/session", (cpu1 - cpu0) * 10.0 / done.get());
        }
        if (done.get() > 0) {
            h += String.format(", client CPU %.2f ms/session", (self1 - self0) / 1e6 / done.get());
        }
        System.out.printf("%s c=%d: %d sessions in %d s = %.1f sessions/s%s%n", tls ? "starttls" + (resume ? "+resume" : "") : "clear", c,
                done.get(), secs, done.get() / (double) secs, h);
    }

    /** utime + stime of SERVER_PID in clock ticks (1/100 s), or -1. */
    static long serverCpuTicks() throws IOException {
        String pid = System.getenv("SERVER_PID");
        if (pid == null) {
            return -1;
        }
        String st = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
        String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static void session(SSLContext ctx, String host, int port, String rcpt, boolean tls, boolean resume, List<Long> hs)
            throws IOException {
        try (Socket s0 = new Socket(host, port)) {
            // As mail programs and MTAs do (ours too): without it Nagle's algorithm holds the
            // final "." behind the message's last record until the server's delayed ACK.
            s0.setTcpNoDelay(!Boolean.getBoolean("nagle"));
            Socket s = s0;
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            cmd(out, in, "EHLO bench.test", "250");
            if (tls) {
                long t0 = System.nanoTime();
                cmd(out, in, "STARTTLS", "220");
                SSLSocket t = (SSLSocket) ctx.getSocketFactory().createSocket(s0,
                        resume ? host : "peer" + PEER.incrementAndGet() + ".bench.test", port, true);
                t.startHandshake();
                hs.add(System.nanoTime() - t0);
                s = t;
                in = t.getInputStream();
                out = t.getOutputStream();
                cmd(out, in, "EHLO bench.test", "250");
            }
            cmd(out, in, "MAIL FROM:<bench@bench.test>", "250");
            cmd(out, in, "RCPT TO:<" + rcpt + ">", "250");
            cmd(out, in, "DATA", "354");
            out.write(BODY);
            cmd(out, in, ".", "250");
            cmd(out, in, "QUIT", "221");
        }
    }

    static void cmd(OutputStream out, InputStream in, String c, String want) throws IOException {
        out.write((c + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        expect(in, want);
    }

    static void expect(InputStream in, String want) throws IOException {
        for (;;) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int ch;
            while ((ch = in.read()) >= 0 && ch != '\n') {
                b.write(ch);
            }
            String l = b.toString(StandardCharsets.ISO_8859_1);
            if (ch < 0 || !l.startsWith(want)) {
                throw new IOException("wanted " + want + ", got " + l);
            }
            if (l.length() < 4 || l.charAt(3) != '-') {
                return;
            }
        }
    }
}
