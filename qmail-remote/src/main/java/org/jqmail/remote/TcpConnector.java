package org.jqmail.remote;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * TCP connections with qmail's timeouts: a non-blocking connect that waits at most
 * {@code timeoutconnect} seconds ({@code timeoutconn.c}), then reads and writes that each wait at
 * most {@code timeoutremote} seconds for the socket to become ready ({@code timeoutread.c},
 * {@code timeoutwrite.c}). A blocking JDK socket has no write timeout, hence the selector.
 * Only IPv4 is used (qmail-remote(8)).
 */
public final class TcpConnector implements Connector {
    @Override
    public Connection connect(int ip, int port, int timeoutConnect, int timeoutRemote) throws IOException {
        SocketChannel ch;
        Selector sel;
        try {
            ch = SocketChannel.open();
        } catch (IOException e) {
            throw new NoSocket(e);
        }
        try {
            sel = Selector.open();
        } catch (IOException e) {
            ch.close();
            throw new NoSocket(e);
        }
        Tcp c = new Tcp(ch, sel, millis(timeoutRemote));
        boolean ok = false;
        try {
            if (port == 0) {
                // The JDK refuses port 0 itself; the kernel answers a connect to it with
                // ECONNREFUSED, which is what qmail sees.
                throw new ConnectException("Connection refused");
            }
            ch.configureBlocking(false);
            // The output is already coalesced into qmail's 1024-byte buffer and flushed only at
            // command boundaries; Nagle's algorithm would only add a delayed-ACK stall (40 ms
            // on Linux) between the buffers of a message.
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (!ch.connect(new InetSocketAddress(Ip.inet(ip), port))) {
                c.await(SelectionKey.OP_CONNECT, millis(timeoutConnect));
                ch.finishConnect();
            }
            ok = true;
            return c;
        } finally {
            if (!ok) {
                c.close();
            }
        }
    }

    /** Seconds to milliseconds; a timeout of 0 or less waits as little as possible. */
    static long millis(int seconds) {
        return seconds <= 0 ? 1 : seconds * 1000L;
    }

    private static final class Tcp implements Connection {
        private final SocketChannel ch;
        private final Selector sel;
        private final long timeout;

        Tcp(SocketChannel ch, Selector sel, long timeout) {
            this.ch = ch;
            this.sel = sel;
            this.timeout = timeout;
        }

        void await(int op, long millis) throws IOException {
            SelectionKey k = ch.register(sel, op);
            long deadline = System.nanoTime() + millis * 1_000_000L;
            try {
                for (;;) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        throw new SocketTimeoutException("timed out");
                    }
                    if (sel.select(left) > 0) {
                        sel.selectedKeys().clear();
                        return;
                    }
                }
            } finally {
                k.interestOps(0);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            for (;;) {
                int n = ch.read(bb);
                if (n != 0) {
                    return n;
                }
                await(SelectionKey.OP_READ, timeout);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            while (bb.hasRemaining()) {
                if (ch.write(bb) == 0) {
                    await(SelectionKey.OP_WRITE, timeout);
                }
            }
        }

        @Override
        public void close() {
            try {
                sel.close();
            } catch (IOException e) {
                // Nothing to do.
            }
            try {
                ch.close();
            } catch (IOException e) {
                // Nothing to do.
            }
        }
    }
}
