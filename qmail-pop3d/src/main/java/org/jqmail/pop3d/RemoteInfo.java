package org.jqmail.pop3d;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;

/**
 * tcp-env's {@code TCPREMOTEINFO}: the answer of the client's identification server (RFC 1413,
 * port 113) about this connection, as qmail's {@code remoteinfo.c} asks and reads it.
 *
 * <p>The query goes from the connection's local address to the client's port 113, within the
 * timeout for the connection, the write and each read: {@code REMOTEPORT , LOCALPORT} and CRLF.
 * In the one-line answer spaces, TABs and CRs are dropped, and everything after its third colon
 * is the information (up to 998 bytes; the empty string is an answer too). No answer, an error,
 * or a timeout: null.
 *
 * <p>Synopsis: {@link #get} asks; {@link #parse} reads an answer and is the fuzz entry point.
 *
 * <p>See also: tcp-env(1), RFC 1413, remoteinfo.c.
 */
public final class RemoteInfo {
    static final int PORT = 113;
    /** qmail's line buffer is 999 bytes, one for the NUL. */
    static final int MAX = 998;

    private RemoteInfo() {
    }

    /** Asks {@code remote}'s identification server about the connection; null if no answer. */
    static byte[] get(InetSocketAddress remote, InetSocketAddress local, int timeoutSeconds) {
        int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeoutSeconds) * 1000L);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(local.getAddress(), 0));
            s.connect(new InetSocketAddress(remote.getAddress(), PORT), ms);
            s.setSoTimeout(ms);
            OutputStream out = s.getOutputStream();
            out.write(Bytes.ascii(remote.getPort() + " , " + local.getPort() + "\r\n"));
            out.flush();
            return parse(s.getInputStream());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The information after the third colon of the first line, or null without a full line. */
    public static byte[] parse(InputStream in) throws IOException {
        ByteBuf info = new ByteBuf(MAX);
        byte[] buf = new byte[32];
        int colons = 0;
        for (;;) {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return null;
            }
            for (int i = 0; i < n; i++) {
                byte ch = buf[i];
                if (ch == ' ' || ch == '\t' || ch == '\r') {
                    continue;
                }
                if (ch == '\n') {
                    return info.toByteArray();
                }
                if (colons < 3) {
                    if (ch == ':') {
                        colons++;
                    }
                } else {
                    info.append(ch);
                    if (info.length() == MAX) {
                        return info.toByteArray();
                    }
                }
            }
        }
    }

    /** For tests: an address's text as tcp-environ(5) writes it. */
    static String text(InetAddress a) {
        return a.getHostAddress();
    }
}
