package org.jqmail.smtpd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jqmail.control.Qmail;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Blast} against {@link Reference}, qmail's {@code blast()} one byte at a time as it
 * was written first: same bytes queued, same point of {@code qmail_fail}, same hop count, same
 * stray-newline ending and the reader left at the same byte, for random messages made of the
 * awkward pieces (dots, bare CR, bare LF, hop headers, the end of the header) read in awkward
 * fragments through buffers of every size.
 */
class BlastTest {
    private static final String[] PIECES = {
        "\r\n", "\r\n", "\r\n", "\n", "\r", ".", "..", "\r\n.", "\r\n..", "\r\n.\r", ".\rx", "\r\r\n",
        "Received: from x", "RECEIVED", "received", "Delivered-To: y", "DELIVERED", "delivere",
        "Receive", "\r\n\r\n", "a", "abc def ghi", "\0", "\u00ff", "x".repeat(200), " ",
    };

    /** What one copy did. */
    private record Outcome(String end, byte[] queued, int failedAt, byte[] rest) {
        @Override
        public String toString() {
            return end + " failedAt=" + failedAt + " queued=" + Bytes.str(queued).replace("\r", "\\r")
                    .replace("\n", "\\n") + " rest=" + Bytes.str(rest);
        }
    }

    /** Records every byte put, and how many had been put when {@code fail} came. */
    private static final class Recorder implements Qmail {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int failedAt = -1;

        @Override
        public void put(byte[] b, int off, int n) {
            bytes.write(b, off, n);
        }

        @Override
        public void fail() {
            if (failedAt < 0) {
                failedAt = bytes.size();
            }
        }

        @Override
        public void from(byte[] s) {
        }

        @Override
        public void to(byte[] r) {
        }

        @Override
        public String close() {
            return "";
        }

        @Override
        public long qp() {
            return 0;
        }
    }

    /** An input stream that hands out at most {@code chunk} bytes per read. */
    private static InputStream chunked(byte[] data, int chunk) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private interface Copier {
        long run(Qmail qq, long databytes, SubstdioIn in) throws IOException;
    }

    private static Outcome copy(Copier c, byte[] input, int chunk, int bufsize, long databytes) {
        Recorder qq = new Recorder();
        SubstdioIn in = new SubstdioIn(chunked(input, chunk), bufsize);
        String end;
        try {
            end = "hops " + c.run(qq, databytes, in);
        } catch (SessionExit e) {
            end = "exit " + e.code();
        } catch (IOException e) {
            end = "io " + e;
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        try {
            for (int ch; (ch = in.get()) >= 0;) {
                rest.write(ch);
            }
        } catch (IOException e) {
            rest.write('!');
        }
        return new Outcome(end, qq.bytes.toByteArray(), qq.failedAt, rest.toByteArray());
    }

    private static Outcome blast(byte[] input, int chunk, int bufsize, long databytes) {
        return copy((qq, db, in) -> {
            Blast b = new Blast(qq, db);
            long hops = b.run(in, () -> new SessionExit(99));
            return b.overflowed(db) ? -1 - hops : hops;
        }, input, chunk, bufsize, databytes);
    }

    private static Outcome reference(byte[] input, int chunk, int bufsize, long databytes) {
        return copy((qq, db, in) -> {
            Reference b = new Reference(qq, db);
            long hops = b.run(in);
            return b.overflowed(db) ? -1 - hops : hops;
        }, input, chunk, bufsize, databytes);
    }

    private static void same(byte[] input, int chunk, int bufsize, long databytes) {
        Outcome want = reference(input, chunk, bufsize, databytes);
        Outcome got = blast(input, chunk, bufsize, databytes);
        String what = "input=" + Bytes.str(input).replace("\r", "\\r").replace("\n", "\\n") + " chunk=" + chunk
                + " buf=" + bufsize + " databytes=" + databytes;
        assertEquals(want.toString(), got.toString(), what);
    }

    private static byte[] message(Random r, boolean terminate) {
        StringBuilder sb = new StringBuilder();
        int pieces = r.nextInt(40);
        for (int i = 0; i < pieces; i++) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        if (terminate) {
            sb.append("\r\n.\r\nQUIT\r\n");
        }
        byte[] b = new byte[sb.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) sb.charAt(i);
        }
        return b;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 16, 1024})
    void randomMessagesCopyAsQmailDoes(int bufsize) {
        Random r = new Random(4711 + bufsize);
        for (int i = 0; i < 3000; i++) {
            byte[] m = message(r, r.nextInt(4) != 0);
            int chunk = new int[] {1, 2, 3, 7, 64, 100000}[r.nextInt(6)];
            long databytes = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(m.length + 3);
            same(m, chunk, bufsize, databytes);
        }
    }

    @Test
    void largeBodyInLargeBlocks() {
        StringBuilder sb = new StringBuilder("Received: a\r\nDelivered-To: b\r\n\r\n");
        Random r = new Random(1);
        while (sb.length() < 200_000) {
            int n = r.nextInt(120);
            if (r.nextInt(10) == 0) {
                sb.append('.');
            }
            sb.append("y".repeat(n)).append("\r\n");
        }
        sb.append(".\r\nMAIL FROM:<>\r\n");
        byte[] m = Bytes.ascii(sb.toString());
        for (int chunk : new int[] {1, 1000, 65536}) {
            for (int buf : new int[] {1024, 16384, 65536}) {
                same(m, chunk, buf, 0);
                same(m, chunk, buf, 100_000);
                same(m, chunk, buf, m.length);
            }
        }
    }

    @Test
    void everyDatabytesAroundTheEdgeOfARun() {
        byte[] m = Bytes.ascii("Subject: x\r\n\r\nabcdefghijklmnopqrstuvwxyz\r\n..dots\r\n.\r\n");
        for (long db = 1; db <= m.length + 2; db++) {
            for (int buf : new int[] {1, 7, 1024}) {
                same(m, 1, buf, db);
                same(m, 100, buf, db);
            }
        }
    }

    /** qmail-smtpd's blast() exactly as first written here: one byte at a time. */
    private static final class Reference {
        private static final byte[] DELIVERED = Bytes.ascii("delivered");
        private static final byte[] DELIVERED_UC = Bytes.ascii("DELIVERED");
        private static final byte[] RECEIVED = Bytes.ascii("received");
        private static final byte[] RECEIVED_UC = Bytes.ascii("RECEIVED");
        private static final int BUF = 8192;
        private final Qmail qq;
        private final byte[] buf = new byte[BUF];
        private int len;
        private long bytestooverflow;

        Reference(Qmail qq, long databytes) {
            this.qq = qq;
            this.bytestooverflow = databytes == 0 ? 0 : (databytes + 1) & 0xffffffffL;
        }

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

        long run(SubstdioIn in) throws IOException {
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
                                throw new SessionExit(99);
                            }
                            if (ch == '\r') {
                                state = 4;
                                continue;
                            }
                            break;
                        case 1:
                            if (ch == '\n') {
                                throw new SessionExit(99);
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
                                throw new SessionExit(99);
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
}
