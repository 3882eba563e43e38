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
 * (doc/TLS.md §7). Usage: java SmtpTls.java HOST PORT CONCURRENCY SECONDS RCPT [tls|clear|both]
 * Each client thread runs whole sessions back to back: connect, EHLO, [STARTTLS, handshake,
 * EHLO,] MAIL, RCPT, DATA with a 2 KB message, QUIT. Prints sessions per second and, for TLS,
 * the median and 90th percentile of the time from STARTTLS to the finished handshake.
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
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] x, String s) { }
            public void checkServerTrusted(X509Certificate[] x, String s) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        for (String m : mode.equals("both") ? new String[] {"clear", "tls", "clear", "tls"} : new String[] {mode}) {
            run(ctx, host, port, c, secs, rcpt, m.equals("tls"));
        }
    }

    static void run(SSLContext ctx, String host, int port, int c, int secs, String rcpt, boolean tls) throws Exception {
        AtomicLong done = new AtomicLong();
        List<Long> hs = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + secs * 1_000_000_000L;
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        session(ctx, host, port, rcpt, tls, hs);
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
            h = String.format(" handshake median %.1f ms p90 %.1f ms", s.get(s.size() / 2) / 1e6, s.get(s.size() * 9 / 10) / 1e6);
        }
        System.out.printf("%s c=%d: %d sessions in %d s = %.1f sessions/s%s%n", tls ? "starttls" : "clear", c,
                done.get(), secs, done.get() / (double) secs, h);
    }

    static void session(SSLContext ctx, String host, int port, String rcpt, boolean tls, List<Long> hs) throws IOException {
        try (Socket s0 = new Socket(host, port)) {
            Socket s = s0;
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            expect(in, "220");
            cmd(out, in, "EHLO bench.test", "250");
            if (tls) {
                long t0 = System.nanoTime();
                cmd(out, in, "STARTTLS", "220");
                SSLSocket t = (SSLSocket) ctx.getSocketFactory().createSocket(s0, host, port, true);
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
