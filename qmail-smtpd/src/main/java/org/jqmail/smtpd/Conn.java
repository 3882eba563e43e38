package org.jqmail.smtpd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLEngine;
import org.jqmail.io.TlsStreams;

/**
 * A session's connection as its mode provides it: the raw streams, and how timeouts work on
 * them. Reads are watched by the {@link Watchdog} (or, where a mode gives a socket read
 * timeout, time out by themselves, {@code SO_TIMEOUT}). The watchdog's {@code readTimeout}
 * action runs outside the blocked thread: it either performs qmail's {@code die_alarm} itself
 * and ends the process (qmail-smtpd on fd 0/1), or only unblocks the read (the listener shuts
 * the socket's input), after which the session thread answers {@code 451 timeout} and ends, as
 * with {@code SO_TIMEOUT}. Blocked writes are always watched; the {@code writeTimeout} action
 * makes the blocked write fail or ends the process.
 *
 * <p>The listener uses the watchdog rather than {@code SO_TIMEOUT}: the JDK reads a socket
 * with a timeout as a non-blocking read, then poll, then a second read whenever the client's
 * next command is not there yet; without one it is a single blocking read.
 */
public final class Conn {
    /** Sets a socket's read timeout in seconds. */
    public interface ReadTimeout {
        void set(int seconds) throws IOException;
    }

    /** The raw streams, replaced by a TLS connection's after STARTTLS. */
    InputStream in;
    OutputStream out;
    private TlsStreams tls;
    private final ReadTimeout soTimeout;
    private final Runnable readTimeout;
    private final Runnable writeTimeout;

    /**
     * @param soTimeout sets a socket read timeout; null when reads need the watchdog
     * @param readTimeout watchdog action for a read past its deadline (null with soTimeout)
     * @param writeTimeout watchdog action for a write past its deadline (null: writes unwatched)
     */
    public Conn(InputStream in, OutputStream out, ReadTimeout soTimeout, Runnable readTimeout, Runnable writeTimeout) {
        this.in = in;
        this.out = out;
        this.soTimeout = soTimeout;
        this.readTimeout = readTimeout;
        this.writeTimeout = writeTimeout;
    }

    /**
     * From now on reads and writes go through TLS on {@code engine} (the handshake runs on the
     * next read, under the read deadline). Bytes the caller has buffered from the raw stream
     * are its to discard.
     */
    void startTls(SSLEngine engine) {
        tls = new TlsStreams(engine, in, out);
        in = tls.in;
        out = tls.out;
    }

    /** The TLS connection, or null in clear text. */
    TlsStreams tls() {
        return tls;
    }

    /** The safe streams of a session, qmail-smtpd's {@code saferead}/{@code safewrite}. */
    final class Safe {
        private final Smtpd session;
        private final Watchdog.Guard guard;
        private int timeout = 1200;
        /** The watchdog found a read past its deadline. */
        private volatile boolean timedOut;

        Safe(Smtpd session) {
            this.session = session;
            this.guard = (readTimeout != null || writeTimeout != null)
                    ? Watchdog.get().register(readTimeout == null ? () -> { } : () -> {
                        timedOut = true;
                        readTimeout.run();
                    }, writeTimeout == null ? () -> { } : writeTimeout)
                    : null;
        }

        void timeout(int seconds) throws IOException {
            timeout = seconds;
            if (soTimeout != null) {
                soTimeout.set(seconds);
            }
        }

        void close() {
            if (tls != null) {
                tls.close();
            }
            if (guard != null) {
                Watchdog.get().unregister(guard);
            }
        }

        /** Flushes pending replies, then reads; end of input or an error ends the session. */
        final InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] b = new byte[1];
                return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                session.flush();
                int r;
                boolean watched = soTimeout == null && guard != null;
                if (watched) {
                    guard.reading(timeout);
                }
                try {
                    r = Conn.this.in.read(b, off, len);
                } catch (SocketTimeoutException e) {
                    throw session.dieAlarm();
                } catch (IOException e) {
                    throw timedOut ? session.dieAlarm() : new SessionExit(1);
                } finally {
                    if (watched) {
                        guard.readDone();
                    }
                }
                if (r <= 0) {
                    throw timedOut ? session.dieAlarm() : new SessionExit(1);
                }
                return r;
            }
        };

        /** Writes; an error or a write blocked past the timeout ends the session. */
        final OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (guard != null) {
                    guard.writing(timeout);
                }
                try {
                    Conn.this.out.write(b, off, len);
                    Conn.this.out.flush();
                } catch (IOException e) {
                    throw new SessionExit(1);
                } finally {
                    if (guard != null) {
                        guard.writeDone();
                    }
                }
            }
        };
    }
}
