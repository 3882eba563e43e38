package org.jqmail.smtpd;

import java.io.IOException;
import org.jqmail.control.Qmail;
import org.jqmail.io.SubstdioIn;

/**
 * The DATA phase of qmail-smtpd ({@code blast()}, spec §9.4): reads the message from the
 * client up to the line {@code .}, undoes SMTP transparency and CRLF line ends, counts hops,
 * enforces databytes, and streams the result into the queue; nothing is held in memory.
 *
 * <p>The state machine is qmail's, byte for byte: CRLF becomes LF, a leading dot is removed,
 * {@code .}CR followed by something other than LF keeps both bytes, a CR not followed by LF is
 * kept, and an LF not preceded by CR anywhere ends the session with
 * {@code 451 See https://cr.yp.to/docs/smtplf.html.} (the caller's {@code straynewline}).
 * Header lines whose first 8 bytes are {@code received} or first 9 are {@code delivered}
 * (ASCII case-insensitive per byte) count as hops; the header ends at the first empty line.
 * When databytes is set, the byte that would exceed it fails the submission (the rest of the
 * data is still read); the bytes counted are those stored, after unstuffing.
 */
final class Blast {
    private static final byte[] DELIVERED = {'d', 'e', 'l', 'i', 'v', 'e', 'r', 'e', 'd'};
    private static final byte[] DELIVERED_UC = {'D', 'E', 'L', 'I', 'V', 'E', 'R', 'E', 'D'};
    private static final byte[] RECEIVED = {'r', 'e', 'c', 'e', 'i', 'v', 'e', 'd'};
    private static final byte[] RECEIVED_UC = {'R', 'E', 'C', 'E', 'I', 'V', 'E', 'D'};
    private static final int BUF = 8192;

    /** qmail-smtpd's {@code straynewline}: answers and ends the session. */
    interface StrayNewline {
        SessionExit die() throws IOException;
    }

    private final Qmail qq;
    private final byte[] buf = new byte[BUF];
    private int len;
    /** Bytes until the message is too big, as qmail's unsigned {@code bytestooverflow}; 0 = off. */
    private long bytestooverflow;

    Blast(Qmail qq, long databytes) {
        this.qq = qq;
        this.bytestooverflow = databytes == 0 ? 0 : (databytes + 1) & 0xffffffffL;
    }

    /** True if databytes was exceeded ({@code !bytestooverflow} with databytes set). */
    boolean overflowed(long databytes) {
        return databytes != 0 && bytestooverflow == 0;
    }

    private void put(int ch) {
        if (bytestooverflow != 0) {
            if (--bytestooverflow == 0) {
                flushBuf();
                qq.fail();
            }
        }
        if (len == BUF) {
            flushBuf();
        }
        buf[len++] = (byte) ch;
    }

    private void flushBuf() {
        if (len > 0) {
            qq.put(buf, 0, len);
            len = 0;
        }
    }

    /** Copies the message; returns the hop count. */
    long run(SubstdioIn in, StrayNewline stray) throws IOException {
        int state = 1;
        long hops = 0;
        boolean inHeader = true;
        int pos = 0;
        boolean maybeX = true;
        boolean maybeY = true;
        boolean maybeZ = true;
        try {
            for (;;) {
                int ch = in.get();
                if (ch < 0) {
                    throw new SessionExit(1);
                }
                if (inHeader) {
                    if (pos < 9) {
                        if (ch != DELIVERED[pos] && ch != DELIVERED_UC[pos]) {
                            maybeZ = false;
                        }
                        if (maybeZ && pos == 8) {
                            hops++;
                        }
                        if (pos < 8 && ch != RECEIVED[pos] && ch != RECEIVED_UC[pos]) {
                            maybeX = false;
                        }
                        if (maybeX && pos == 7) {
                            hops++;
                        }
                        if (pos < 2 && ch != (pos == 0 ? '\r' : '\n')) {
                            maybeY = false;
                        }
                        if (maybeY && pos == 1) {
                            inHeader = false;
                        }
                        pos++;
                    }
                    if (ch == '\n') {
                        pos = 0;
                        maybeX = true;
                        maybeY = true;
                        maybeZ = true;
                    }
                }
                switch (state) {
                    case 0:
                        if (ch == '\n') {
                            throw stray.die();
                        }
                        if (ch == '\r') {
                            state = 4;
                            continue;
                        }
                        break;
                    case 1:
                        if (ch == '\n') {
                            throw stray.die();
                        }
                        if (ch == '.') {
                            state = 2;
                            continue;
                        }
                        if (ch == '\r') {
                            state = 4;
                            continue;
                        }
                        state = 0;
                        break;
                    case 2:
                        if (ch == '\n') {
                            throw stray.die();
                        }
                        if (ch == '\r') {
                            state = 3;
                            continue;
                        }
                        state = 0;
                        break;
                    case 3:
                        if (ch == '\n') {
                            return hops;
                        }
                        put('.');
                        put('\r');
                        if (ch == '\r') {
                            state = 4;
                            continue;
                        }
                        state = 0;
                        break;
                    default:
                        if (ch == '\n') {
                            state = 1;
                            break;
                        }
                        if (ch != '\r') {
                            put('\r');
                            state = 0;
                        }
                        break;
                }
                put(ch);
            }
        } finally {
            flushBuf();
        }
    }
}
