package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A bare SMTP client for the tests: whole reply lines, raw bytes out, nothing interpreted. */
final class Smtp implements Closeable {
    private Socket s;
    private InputStream in;
    private OutputStream out;

    private Smtp(Socket s) throws IOException {
        this.s = s;
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    static Smtp connect(int port, String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 10_000);
        s.setSoTimeout(30_000);
        return new Smtp(s);
    }

    /**
     * Starts TLS on the connection now (after a 220 to STARTTLS, or at once for SMTPS),
     * accepting any certificate; returns the protocol negotiated.
     */
    String startTls() throws IOException {
        try {
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            javax.net.ssl.SSLSocket t = (javax.net.ssl.SSLSocket) ctx.getSocketFactory()
                    .createSocket(s, "test.example", s.getPort(), true);
            t.setUseClientMode(true);
            t.startHandshake();
            s = t;
            in = t.getInputStream();
            out = t.getOutputStream();
            return t.getSession().getProtocol();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    void timeout(int ms) throws IOException {
        s.setSoTimeout(ms);
    }

    /** One reply line without its CRLF; null at end of input. Fails on a line not ending in CRLF. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (;;) {
            int c = in.read();
            if (c < 0) {
                if (b.size() == 0) {
                    return null;
                }
                throw new IOException("unterminated reply line: " + b.toString(ISO_8859_1));
            }
            if (c == '\n') {
                String l = b.toString(ISO_8859_1);
                if (!l.endsWith("\r")) {
                    throw new IOException("reply line without CR: " + l);
                }
                return l.substring(0, l.length() - 1);
            }
            b.write(c);
        }
    }

    /** One whole reply, its lines joined with LF. */
    String reply() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (;;) {
            String l = line();
            if (l == null) {
                throw new IOException("connection closed; reply so far: " + sb);
            }
            sb.append(l);
            if (l.length() < 4 || l.charAt(3) != '-') {
                return sb.toString();
            }
            sb.append('\n');
        }
    }

    void send(String text) throws IOException {
        send(text.getBytes(ISO_8859_1));
    }

    void send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    String cmd(String c) throws IOException {
        send(c + "\r\n");
        return reply();
    }

    /** True if the server closes the connection (end of input) within the read timeout. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        s.close();
    }
}
