package org.jqmail.remote;

import java.io.Closeable;
import java.io.IOException;

/**
 * How qmail-remote reaches a peer: {@code socket()} plus {@code timeoutconn()}, and then reads
 * and writes that each have their own timeout ({@code timeoutread}/{@code timeoutwrite}).
 * {@link TcpConnector} is the real one; tests supply scripted peers.
 */
public interface Connector {
    /** The socket could not be created ({@code System resources temporarily unavailable.}). */
    final class NoSocket extends IOException {
        private static final long serialVersionUID = 1L;

        public NoSocket(IOException cause) {
            super(cause);
        }
    }

    /** An open SMTP connection. */
    interface Connection extends Closeable {
        /** Reads at least one byte, or returns -1 at end of stream; throws on timeout or error. */
        int read(byte[] b, int off, int len) throws IOException;

        /** Writes everything; throws on timeout or error. */
        void write(byte[] b, int off, int len) throws IOException;

        @Override
        void close();
    }

    /**
     * Connects to {@code ip:port} within {@code timeoutConnect} seconds; the connection then
     * applies {@code timeoutRemote} seconds to each read and write. Throws {@link NoSocket} if
     * no socket can be made, {@link java.net.SocketTimeoutException} on a connect timeout and
     * another {@link IOException} for any other failure.
     */
    Connection connect(int ip, int port, int timeoutConnect, int timeoutRemote) throws IOException;
}
