package org.jqmail.qmtpd;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Fmt;
import org.jqmail.io.SubstdioIn;

/**
 * qmail-qmqpc's work (doc/QMTP.md §4): the envelope from fd 1 turned into QMQP's netstrings,
 * the message spooled, and one attempt per QMQP server.
 *
 * <p>Entry points: {@link #envelope} (pure: bytes in, the bytes after the message out, or a
 * format error), {@link #ip} (qmail's {@code ip_scan}), {@link #attempt}. Exit codes are
 * qmail-queue's, as qmail-qmqpc's: 0 accepted, 31 refused for good, 71 refused for now, 72
 * connection timed out, 73 connection refused, 74 the conversation failed, 91 a bad envelope.
 */
final class Qmqpc {
    static final int PORT = 628;
    static final int CONNECT_TIMEOUT = 10_000;
    static final int TIMEOUT = 60_000;
    static final int OK = 0;
    static final int PERM = 31;
    static final int NOMEM = 51;
    static final int READ = 54;
    static final int CONTROL = 55;
    static final int HOME = 61;
    static final int TEMP = 71;
    static final int TIMED_OUT = 72;
    static final int REFUSED = 73;
    static final int CONN = 74;
    static final int FORMAT = 91;
    /** The envelope's bound: past it, qmail-qmqpc fails as qmail's does when out of memory. */
    static final int ENVELOPE_MAX = 64 * 1024 * 1024;

    /** The envelope was not qmail-queue's format (exit 91). */
    static final class Format extends Exception {
        private static final long serialVersionUID = 1L;

        Format() {
            super("bad envelope", null, false, false);
        }
    }

    private Qmqpc() {
    }

    /**
     * The bytes that follow the message inside the outer netstring: the message's comma, the
     * sender's netstring and each recipient's, from qmail-queue's envelope ({@code F...\0}, then
     * {@code T...\0} lines, then a lone {@code \0}; what follows it is not read).
     */
    static byte[] envelope(InputStream fd1) throws IOException, Format {
        SubstdioIn in = new SubstdioIn(fd1, 1024);
        ByteBuf after = new ByteBuf(256, ENVELOPE_MAX);
        ByteBuf line = new ByteBuf(256, ENVELOPE_MAX);
        after.append(',');
        boolean first = true;
        for (;;) {
            line.clear();
            SubstdioIn.Line r = in.getline(line, (byte) 0, ENVELOPE_MAX - after.length());
            if (r == SubstdioIn.Line.TOO_LONG) {
                throw new IOException("envelope too long");
            }
            if (r != SubstdioIn.Line.LINE) {
                throw new Format();
            }
            if (line.length() < 1) {
                if (first) {
                    throw new Format();
                }
                return after.toByteArray();
            }
            if (line.byteAt(0) != (first ? 'F' : 'T')) {
                throw new Format();
            }
            int n = line.length() - 1;
            if (!after.fits(n + 24)) {
                throw new IOException("envelope too long");
            }
            after.append(Fmt.ulong(n)).append(':').append(line.array(), 1, n).append(',');
            first = false;
        }
    }

    /** qmail's {@code ip_scan}: four decimal numbers with dots, each taken modulo 256; null if not. */
    static byte[] ip(byte[] s) {
        byte[] ip = new byte[4];
        int pos = 0;
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                if (pos >= s.length || s[pos] != '.') {
                    return null;
                }
                pos++;
            }
            long u = 0;
            int start = pos;
            while (pos < s.length && s[pos] >= '0' && s[pos] <= '9') {
                u = u * 10 + (s[pos] - '0');
                pos++;
            }
            if (pos == start) {
                return null;
            }
            ip[i] = (byte) u;
        }
        return ip;
    }

    /**
     * One attempt at one server ({@code doit()}): the exit code when the conversation decides
     * it (0, 31, 71, 74), or {@link #TIMED_OUT} or {@link #REFUSED} when no connection was made
     * and the next server is to be tried.
     */
    static int attempt(byte[] ip, int port, Spool message, byte[] after) throws IOException {
        try (Socket s = new Socket()) {
            try {
                s.connect(new InetSocketAddress(InetAddress.getByAddress(ip), port), CONNECT_TIMEOUT);
            } catch (SocketTimeoutException e) {
                return TIMED_OUT;
            } catch (IOException e) {
                return REFUSED;
            }
            Deadline d = Deadline.start(s);
            try {
                s.setSoTimeout(TIMEOUT);
                OutputStream out = new BufferedOutputStream(d.out(s.getOutputStream()), 1024);
                byte[] before = Fmt.ulong(message.size());
                long total = before.length + 1 + message.size() + after.length;
                out.write(Fmt.ulong(total));
                out.write(':');
                out.write(before);
                out.write(':');
                message.writeTo(out);
                out.write(after);
                out.write(',');
                out.flush();
                InputStream in = s.getInputStream();
                for (int ch; (ch = in.read()) >= 0;) {
                    if (ch == 'K') {
                        return OK;
                    }
                    if (ch == 'Z') {
                        return TEMP;
                    }
                    if (ch == 'D') {
                        return PERM;
                    }
                }
                return CONN;
            } catch (IOException e) {
                return CONN;
            } finally {
                d.stop();
            }
        }
    }

    /**
     * qmail's 60-second limit on each write: a daemon thread closes the socket when a write
     * has made no progress for that long, which fails the write (exit 74).
     */
    static final class Deadline implements Runnable {
        private final Socket s;
        private volatile long due;
        private volatile boolean stopped;

        private Deadline(Socket s) {
            this.s = s;
            this.due = System.nanoTime() + TIMEOUT * 1_000_000L;
        }

        static Deadline start(Socket s) {
            Deadline d = new Deadline(s);
            Thread t = new Thread(d, "write-deadline");
            t.setDaemon(true);
            t.start();
            return d;
        }

        OutputStream out(OutputStream o) {
            return new java.io.FilterOutputStream(o) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    due = System.nanoTime() + TIMEOUT * 1_000_000L;
                    out.write(b, off, len);
                }
            };
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            while (!stopped) {
                if (System.nanoTime() - due > 0) {
                    try {
                        s.close();
                    } catch (IOException e) {
                        // The write fails either way.
                    }
                    return;
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
