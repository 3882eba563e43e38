package org.jqmail.qmtpd;

import java.io.IOException;
import java.util.function.LongSupplier;
import org.jqmail.control.Qmail;
import org.jqmail.control.RcptHosts;
import org.jqmail.control.Received;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Fmt;
import org.jqmail.io.SubstdioOut;

/**
 * One QMTP connection of qmail-qmtpd: message after message, each answered with one netstring
 * per recipient (doc/QMTP.md §2, qmail-qmtpd(8)).
 *
 * <p>Entry point: {@link #run}, which returns only through {@link Quit}: 0 when the client
 * closes the connection, 100 for a framing error, 111 for a length over qmail's cap, the queue
 * not starting or an unreadable morercpthosts.cdb. The message is streamed into the queue
 * after a Received line; its first byte says LF (10) or CRLF (13, turned into LF) line ends.
 * The sender and each recipient are refused (not queued) when 1000 bytes or longer or holding
 * a NUL; without RELAYCLIENT a recipient must pass rcpthosts, with it RELAYCLIENT is appended.
 * databytes counts the stored message bytes, the Received line not included.
 *
 * <p>Answers are buffered and go out when qmail-qmtpd next reads (see {@link Wire#flushing}).
 * Not thread-safe; pure apart from the queue it is given, so tests and fuzz targets drive it
 * with bytes.
 */
final class Qmtpd {
    static final byte[] RCPTHOSTS = Bytes.ascii(
            "66:Dsorry, that domain isn't in my list of allowed rcpthosts (#5.7.1),");
    static final byte[] CANT = Bytes.ascii("46:Dsorry, I can't handle that recipient (#5.1.3),");
    static final String SENDER = "Dunacceptable sender (#5.1.7)";
    static final String DATABYTES = "Dsorry, that message size exceeds my databytes limit (#5.3.4)";
    /** Address buffer of qmail-qmtpd: the sender and recipient plus RELAYCLIENT stay below it. */
    static final int ADDR = 1000;
    /** Most recipients of one message: their answers wait in memory until the queue has answered. */
    static final int RCPT_MAX = 4 * 1024 * 1024;

    private static final byte OK = 0;
    private static final byte DOMAIN = 'D';
    private static final byte LONG = 'L';
    private static final byte NUL = 'N';

    private final Wire in;
    private final SubstdioOut out;
    private final Qmail.Opener queue;
    private final RcptHosts rcpthosts;
    private final byte[] relayclient;
    private final long databytes;
    private final Remote remote;
    private final LongSupplier clock;
    private final byte[] buf = new byte[ADDR];
    private final byte[] chunk = new byte[8192];

    Qmtpd(Wire in, SubstdioOut out, Qmail.Opener queue, RcptHosts rcpthosts, byte[] relayclient, long databytes,
          Remote remote, LongSupplier clock) {
        this.in = in;
        this.out = out;
        this.queue = queue;
        this.rcpthosts = rcpthosts;
        this.relayclient = relayclient;
        this.databytes = databytes;
        this.remote = remote;
        this.clock = clock;
    }

    /** Serves messages until the session ends. */
    void run() throws Quit {
        for (;;) {
            message();
        }
    }

    private void message() throws Quit {
        long len = in.length();
        if (len == 0) {
            throw new Quit(Quit.BADPROTO);
        }
        Qmail qq;
        try {
            qq = queue.open();
        } catch (IOException | RuntimeException e) {
            throw new Quit(Quit.RESOURCES);
        }
        int ch = in.get();
        --len;
        boolean flagdos;
        if (ch == 10) {
            flagdos = false;
        } else if (ch == 13) {
            flagdos = true;
        } else {
            throw new Quit(Quit.BADPROTO);
        }
        qq.put(Received.line("QMTP", remote.local, remote.remoteip, remote.remotehost, remote.remoteinfo, null,
                clock.getAsLong()));
        long bytestooverflow = flagdos ? body(qq, len) : bodyLf(qq, len);
        in.comma();

        boolean flagsenderok = true;
        len = in.length();
        int n = 0;
        if (len >= ADDR) {
            flagsenderok = false;
            in.skip(len);
        } else {
            n = (int) len;
            for (int i = 0; i < n; i++) {
                buf[i] = (byte) in.get();
                if (buf[i] == 0) {
                    flagsenderok = false;
                }
            }
        }
        in.comma();
        qq.from(cString(buf, n));
        if (!flagsenderok) {
            qq.fail();
        }
        ByteBuf failure = new ByteBuf(16, RCPT_MAX);
        boolean flagbother = recipients(qq, failure);
        in.comma();
        if (!flagbother) {
            qq.fail();
        }
        String result = qq.close();
        if (!flagsenderok) {
            result = SENDER;
        }
        if (databytes != 0 && bytestooverflow == 0) {
            result = DATABYTES;
        }
        if (result.isEmpty()) {
            result = "Kok " + clock.getAsLong() + " qp " + qq.qp();
        }
        answer(result, failure);
    }

    /** The CRLF body: CR LF becomes LF, every other byte is kept; returns what is left of databytes. */
    private long body(Qmail qq, long len) throws Quit {
        long bytestooverflow = databytes == 0 ? 0 : databytes + 1;
        Chunk c = new Chunk(qq);
        while (len > 0) {
            int ch = in.get();
            --len;
            while (ch == 13 && len > 0) {
                ch = in.get();
                --len;
                if (ch == 10) {
                    break;
                }
                if (bytestooverflow != 0 && --bytestooverflow == 0) {
                    c.fail();
                }
                c.put(13);
            }
            if (bytestooverflow != 0 && --bytestooverflow == 0) {
                c.fail();
            }
            c.put(ch);
        }
        c.flush();
        return bytestooverflow;
    }

    /** The LF body, stored as it comes; one longer than databytes fails at once. */
    private long bodyLf(Qmail qq, long len) throws Quit {
        long bytestooverflow = databytes == 0 ? 0 : databytes + 1;
        if (databytes != 0 && len > databytes) {
            bytestooverflow = 0;
            qq.fail();
        }
        while (len > 0) {
            int n = in.read(chunk, (int) Math.min(len, chunk.length));
            qq.put(chunk, 0, n);
            len -= n;
        }
        return bytestooverflow;
    }

    /** The recipient netstrings inside their list; records each one's fate in {@code failure}. */
    private boolean recipients(Qmail qq, ByteBuf failure) throws Quit {
        boolean flagbother = false;
        long biglen = in.length();
        while (biglen > 0) {
            if (failure.length() == RCPT_MAX) {
                throw new Quit(Quit.RESOURCES);
            }
            byte fate = OK;
            long len = 0;
            for (;;) {
                if (biglen == 0) {
                    throw new Quit(Quit.BADPROTO);
                }
                int ch = in.get();
                --biglen;
                if (ch == ':') {
                    break;
                }
                if (Long.compareUnsigned(len, Wire.CAP) > 0) {
                    throw new Quit(Quit.RESOURCES);
                }
                // qmail checks no digit here: a C char, signed, minus '0', modulo 2^64.
                len = 10 * len + ((byte) ch - '0');
            }
            if (Long.compareUnsigned(len, biglen) >= 0) {
                throw new Quit(Quit.BADPROTO);
            }
            int rl = relayclient == null ? 0 : relayclient.length;
            if (len + rl >= ADDR) {
                fate = LONG;
                in.skip(len);
            } else {
                int n = (int) len;
                for (int i = 0; i < n; i++) {
                    buf[i] = (byte) in.get();
                    if (buf[i] == 0) {
                        fate = NUL;
                    }
                }
                byte[] rcpt;
                if (relayclient != null) {
                    rcpt = Bytes.concat(cString(buf, n), relayclient);
                } else {
                    rcpt = Bytes.sub(buf, 0, n);
                    if (!allowed(rcpt)) {
                        fate = DOMAIN;
                    }
                }
                if (fate == OK) {
                    qq.to(rcpt);
                    flagbother = true;
                }
            }
            failure.append(fate);
            in.comma();
            biglen -= len + 1;
        }
        return flagbother;
    }

    private boolean allowed(byte[] rcpt) throws Quit {
        try {
            return rcpthosts.allowed(rcpt);
        } catch (IOException e) {
            throw new Quit(Quit.RESOURCES);
        }
    }

    private void answer(String result, ByteBuf failure) throws Quit {
        byte[] r = result.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] ok = Bytes.concat(Fmt.ulong(r.length), new byte[] {':'}, r, new byte[] {','});
        try {
            for (int i = 0; i < failure.length(); i++) {
                byte f = failure.byteAt(i);
                out.put(f == OK ? ok : f == DOMAIN ? RCPTHOSTS : CANT);
            }
        } catch (IOException e) {
            throw new Quit(Quit.EOF);
        }
    }

    /** The bytes of {@code b[0..n)} up to the first NUL, as C's string functions see them. */
    static byte[] cString(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] == 0) {
                return Bytes.sub(b, 0, i);
            }
        }
        return Bytes.sub(b, 0, n);
    }

    /** Message bytes gathered before they go to the queue. */
    private static final class Chunk {
        private final Qmail qq;
        private final byte[] b = new byte[8192];
        private int n;

        Chunk(Qmail qq) {
            this.qq = qq;
        }

        void put(int ch) {
            if (n == b.length) {
                flush();
            }
            b[n++] = (byte) ch;
        }

        void fail() {
            flush();
            qq.fail();
        }

        void flush() {
            qq.put(b, 0, n);
            n = 0;
        }
    }
}
