package org.jqmail.smtpd;

import java.io.IOException;
import org.jqmail.control.Qmail;
import org.jqmail.io.SubstdioIn;

/**
 * The DATA phase of qmail-smtpd ({@code blast()}, qmail-smtpd(8)): reads the message from the
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
    private static final int BUF = 16 * 1024;

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

    /**
     * Copies {@code n} bytes that need no state change (no CR, no LF, in the middle of a line
     * and past the header checks) as {@link #put} would one at a time: the byte that exceeds
     * databytes still fails the submission after the bytes before it went out.
     */
    private void putRun(byte[] b, int off, int n) {
        if (bytestooverflow != 0) {
            if (n >= bytestooverflow) {
                int before = (int) (bytestooverflow - 1);
                append(b, off, before);
                bytestooverflow = 0;
                flushBuf();
                qq.fail();
                append(b, off + before, n - before);
                return;
            }
            bytestooverflow -= n;
        }
        append(b, off, n);
    }

    private void append(byte[] b, int off, int n) {
        while (n > 0) {
            if (len == BUF) {
                flushBuf();
            }
            int k = Math.min(n, BUF - len);
            System.arraycopy(b, off, buf, len, k);
            len += k;
            off += k;
            n -= k;
        }
    }

    /**
     * Copies the message; returns the hop count. Works on the reader's buffer in place
     * ({@link SubstdioIn#window}): the bytes between line ends, which make up nearly all of a
     * message, are found by one scan and copied at once; every other byte goes through the
     * state machine one at a time. Leaves the reader just after the final {@code .}CRLF, so
     * that pipelined commands after it are read next.
     */
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
                int avail = in.window();
                if (avail == 0) {
                    throw new SessionExit(1);
                }
                byte[] b = in.array();
                int start = in.position();
                int p = start;
                int end = start + avail;
                while (p < end) {
                    if (state == 0 && (!inHeader || pos >= 9)) {
                        int s = p;
                        while (p < end) {
                            byte c = b[p];
                            if (c == '\r' || c == '\n') {
                                break;
                            }
                            p++;
                        }
                        if (p > s) {
                            putRun(b, s, p - s);
                        }
                        if (p == end) {
                            break;
                        }
                    }
                    int ch = b[p++] & 0xff;
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
                                in.consume(p - start);
                                throw stray.die();
                            }
                            if (ch == '\r') {
                                state = 4;
                                continue;
                            }
                            break;
                        case 1:
                            if (ch == '\n') {
                                in.consume(p - start);
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
                                in.consume(p - start);
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
                                in.consume(p - start);
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
                in.consume(p - start);
            }
        } finally {
            flushBuf();
        }
    }
}
