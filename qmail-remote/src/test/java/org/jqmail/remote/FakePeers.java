package org.jqmail.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * In-memory SMTP peers for {@link Remote}: each address refuses, times out, or answers from a
 * script. A script is the whole byte stream the peer sends; it is handed out in fragments of
 * {@code chunk} bytes, and the connection can die after a given number of reply bytes or of
 * bytes written by the client.
 */
final class FakePeers implements Connector {
    /** One scripted peer. */
    static final class Peer {
        final byte[] replies;
        int chunk = 7;
        /** Reads fail (end of stream) once this many reply bytes were handed out. */
        long eofAfter = Long.MAX_VALUE;
        /** Writes fail once the client has written this many bytes. */
        long writeFailAfter = Long.MAX_VALUE;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean closed;

        Peer(String replies) {
            this.replies = replies.getBytes(StandardCharsets.ISO_8859_1);
        }

        String received() {
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    enum Kind { REFUSE, TIMEOUT, PEER }

    private final Map<Integer, Object> hosts = new HashMap<>();
    final List<String> attempts = new ArrayList<>();
    int lastTimeoutConnect;
    int lastTimeoutRemote;

    FakePeers refuse(int ip) {
        hosts.put(ip, Kind.REFUSE);
        return this;
    }

    FakePeers timeout(int ip) {
        hosts.put(ip, Kind.TIMEOUT);
        return this;
    }

    Peer peer(int ip, String replies) {
        Peer p = new Peer(replies);
        hosts.put(ip, p);
        return p;
    }

    @Override
    public Connection connect(int ip, int port, int timeoutConnect, int timeoutRemote) throws IOException {
        attempts.add(new String(Ip.fmt(ip), StandardCharsets.ISO_8859_1) + ":" + port);
        lastTimeoutConnect = timeoutConnect;
        lastTimeoutRemote = timeoutRemote;
        Object h = hosts.get(ip);
        if (h == null || h == Kind.REFUSE) {
            throw new ConnectException("Connection refused");
        }
        if (h == Kind.TIMEOUT) {
            throw new SocketTimeoutException("connect timed out");
        }
        Peer p = (Peer) h;
        return new Connection() {
            private int pos;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= p.replies.length || pos >= p.eofAfter) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(len, p.chunk), Math.min(p.replies.length - pos, p.eofAfter - pos));
                System.arraycopy(p.replies, pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (p.received.size() + len > p.writeFailAfter) {
                    throw new IOException("Broken pipe");
                }
                p.received.write(b, off, len);
            }

            @Override
            public void close() {
                p.closed = true;
            }
        };
    }
}
