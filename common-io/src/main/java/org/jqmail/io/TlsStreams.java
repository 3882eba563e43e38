package org.jqmail.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSession;

/**
 * A TLS connection over any pair of byte streams (a socket, fds 0 and 1 as pipes or a socket,
 * descriptors handed over by {@code bin/qmail-smtpd}), with the JDK's {@link SSLEngine}: one
 * code path for every way a qmail program gets its connection (doc/TLS.md §3).
 *
 * <p>Synopsis: {@code t = new TlsStreams(engine, rawIn, rawOut)}, then {@link #in} and
 * {@link #out} carry the plain text. The handshake runs on the first read or write, or
 * explicitly with {@link #handshake}. After the handshake one thread may read while another
 * writes (qmail-popup's relay, doc/POP3.md §6): records are made and sent under one lock, and
 * the engine allows wrap and unwrap at once. A write is sent (one or more records) before it returns;
 * records the engine makes on its own (the handshake's last flight, a session ticket) are
 * sent with the next write or before the next read would block, never alone.
 *
 * <p>Failures: a handshake or record error is an IOException (the JDK's SSLException),
 * the peer's close_notify or end of input is end of input on {@link #in}. Buffers are the
 * engine's packet and application sizes, grown only when the engine says so.
 */
public final class TlsStreams {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    /** Received records, write mode. */
    private ByteBuffer netIn;
    /** Decrypted bytes, read mode. */
    private ByteBuffer appIn;
    private ByteBuffer netOut;
    /**
     * Records wrapped but not yet sent: a handshake flight (ServerHello ... Finished, several
     * records) goes out in one write, just before the next read or at the end of the call,
     * rather than one small write per record, which Nagle's algorithm and the peer's delayed
     * ACK would hold back for 40 ms each.
     */
    private final java.io.ByteArrayOutputStream pend = new java.io.ByteArrayOutputStream(4096);
    /** Held while records are wrapped into {@link #pend} or sent. */
    private final Object wlock = new Object();
    private boolean shaken;
    private volatile boolean inClosed;

    public TlsStreams(SSLEngine engine, InputStream rawIn, OutputStream rawOut) {
        this.engine = engine;
        this.rawIn = rawIn;
        this.rawOut = rawOut;
        SSLSession s = engine.getSession();
        netIn = ByteBuffer.allocate(s.getPacketBufferSize());
        appIn = ByteBuffer.allocate(s.getApplicationBufferSize());
        appIn.flip();
        netOut = ByteBuffer.allocate(s.getPacketBufferSize());
    }

    /** The engine, for its session once the handshake is done (protocol, cipher, peer). */
    public SSLEngine engine() {
        return engine;
    }

    /** Runs the handshake to its end, unless done already. */
    public void handshake() throws IOException {
        if (shaken) {
            return;
        }
        shaken = true;
        engine.beginHandshake();
        for (;;) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> tasks();
                case NEED_WRAP -> wrap(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrap()) {
                        throw new EOFException("connection closed during the TLS handshake");
                    }
                }
                default -> {
                    // The last records (a TLS 1.3 server's session ticket, a client's
                    // Finished) stay in pend and leave with the first reply or before the
                    // next read: sent alone, Nagle's algorithm would hold the reply behind
                    // them until the peer's delayed ACK, 40 ms (tcpserver leaves Nagle on).
                    return;
                }
            }
        }
    }

    /** Sends the records wrapped so far. */
    private void send() throws IOException {
        synchronized (wlock) {
            if (pend.size() > 0) {
                byte[] b = pend.toByteArray();
                pend.reset();
                rawOut.write(b);
                rawOut.flush();
            }
        }
    }

    /** Sends close_notify (best effort); the raw streams are the caller's to close. */
    public void close() {
        try {
            synchronized (wlock) {
                engine.closeOutbound();
                if (shaken) {
                    wrap(EMPTY);
                    send();
                }
            }
        } catch (IOException | RuntimeException e) {
            // The peer is gone; nothing more to say to it.
        }
    }

    private void tasks() {
        Runnable r;
        while ((r = engine.getDelegatedTask()) != null) {
            r.run();
        }
    }

    /** What the engine asks for after a record: its tasks, and records to send. */
    private void pending() throws IOException {
        for (;;) {
            SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                tasks();
            } else if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                synchronized (wlock) {
                    if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        wrap(EMPTY);
                    }
                }
            } else {
                // Sent with the next write, or before the next read blocks (unwrap).
                return;
            }
        }
    }

    /** Unwraps one record, reading as needed; false at end of input or close_notify. */
    private boolean unwrap() throws IOException {
        for (;;) {
            netIn.flip();
            appIn.compact();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
                appIn.flip();
            }
            switch (r.getStatus()) {
                case OK -> {
                    return true;
                }
                case CLOSED -> {
                    inClosed = true;
                    return false;
                }
                case BUFFER_OVERFLOW -> {
                    if (appIn.hasRemaining()) {
                        return true;
                    }
                    appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
                    appIn.flip();
                }
                default -> {
                    // BUFFER_UNDERFLOW: a partial record; read more of it.
                    if (!netIn.hasRemaining()) {
                        ByteBuffer b = ByteBuffer.allocate(Math.max(netIn.capacity() * 2,
                                engine.getSession().getPacketBufferSize()));
                        netIn.flip();
                        b.put(netIn);
                        netIn = b;
                    }
                    send();
                    int n = rawIn.read(netIn.array(), netIn.position(), netIn.remaining());
                    if (n <= 0) {
                        inClosed = true;
                        return false;
                    }
                    netIn.position(netIn.position() + n);
                }
            }
        }
    }

    private void wrap(ByteBuffer src) throws IOException {
        synchronized (wlock) {
            wrapLocked(src);
        }
    }

    private void wrapLocked(ByteBuffer src) throws IOException {
        do {
            netOut.clear();
            SSLEngineResult r = engine.wrap(src, netOut);
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                continue;
            }
            if (netOut.position() > 0) {
                pend.write(netOut.array(), 0, netOut.position());
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                if (src.hasRemaining()) {
                    throw new EOFException("TLS connection closed");
                }
                return;
            }
            if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                tasks();
            }
        } while (src.hasRemaining());
    }

    /** The plain text from the peer. */
    public final InputStream in = new InputStream() {
        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            handshake();
            while (!appIn.hasRemaining()) {
                if (inClosed || !unwrap()) {
                    return -1;
                }
                pending();
            }
            int n = Math.min(len, appIn.remaining());
            appIn.get(b, off, n);
            return n;
        }
    };

    /** The plain text to the peer; each write is sent before it returns. */
    public final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            handshake();
            synchronized (wlock) {
                wrap(ByteBuffer.wrap(b, off, len));
                send();
            }
        }
    };
}
