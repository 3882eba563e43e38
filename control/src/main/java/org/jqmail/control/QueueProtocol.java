package org.jqmail.control;

import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.jqmail.io.SubstdioIn;

/**
 * The byte protocol between a submitter and qmail-queued over its Unix-domain socket
 * (doc/ARCHITECTURE.md §3). It carries exactly what qmail-queue's descriptors carry, with framing
 * so a dying client can never leave a truncated message looking complete.
 *
 * <pre>
 * client → server:
 *   "QQ1" or "QQ2"                 magic
 *   qp: 4 bytes big-endian         the pid to record as qp (the bin/qmail-queue client sends
 *                                  its own pid, as qmail-queue records its own); 0 = let the
 *                                  server number the submission
 *   message: { len: 4 bytes BE, len &gt; 0; len bytes }*  then 4 zero bytes
 *   envelope: the bytes qmail-queue reads on fd 1 (F…\0 T…\0 … \0)
 * server → client (once per submission; possibly before the client has sent everything):
 *   code: 1 byte                   qmail-queue's exit code (qmail-queue(8))
 *   qp: 4 bytes BE                 the qp recorded in the queue (0 if nothing was queued)
 *   textlen: 1 byte, text          the fd 6 text when code is 82, else textlen 0
 * </pre>
 *
 * <p>After a {@code QQ1} submission's answer the server closes the connection: one submission
 * per connection, what {@code bin/qmail-queue}, qmail-inject, sendmail and qmail-smtpd under
 * tcpserver send. A {@code QQ2} submission is the same bytes, but when its answer is code 0
 * (which the server sends only after it has read the whole submission: the message's end
 * marker and the envelope's final NUL) the connection stays open and the server reads the
 * next magic: end of input means the client is done, {@code QQ2} (or {@code QQ1}, a last one)
 * starts the next submission. Every other answer, including every early one, is followed by
 * close, as with {@code QQ1}; a client so reuses a connection only after an answer 0 that came
 * after it sent everything. The server closes a connection that waits longer than a minute
 * for its next magic, and one the watchdog answers 52. Only the SMTP listener sends {@code QQ2},
 * through its pool of idle connections ({@link QueueConnections}).
 *
 * <p>The submitter's uid is never sent: the server takes it from the kernel (SO_PEERCRED),
 * once per connection (a connection's peer cannot change).
 *
 * <p>This class is the protocol's one codec: the client ({@link QueueSocket}) encodes with
 * {@link #header}, {@link #chunkLength} and {@link #END} and decodes with {@link #answer(byte[])};
 * qmail-queued decodes with {@link #magic}, {@link #qp}, {@link Chunks} and encodes with
 * {@link #answer(int, long)}.
 */
public final class QueueProtocol {
    public static final byte[] MAGIC = {'Q', 'Q', '1'};
    /** A submission after which the connection stays open if it is answered 0. */
    public static final byte[] MAGIC_MANY = {'Q', 'Q', '2'};
    /** Largest message chunk a client sends and a server accepts. */
    public static final int CHUNK_MAX = 64 * 1024;
    /** Largest fd 6 text (doc/PROTOCOLS.md §1.2: at most 255 bytes are read). */
    public static final int TEXT_MAX = 255;
    /** A submission's header: the magic and the qp. */
    public static final int HEADER_LEN = 7;
    /** An answer's fixed part: the code, the qp and the text's length. */
    public static final int ANSWER_LEN = 6;
    /** The message's end: a chunk of length 0. */
    public static final byte[] END = new byte[4];

    /** Which submission a header starts. */
    public enum Magic {
        /** {@code QQ1}: the connection's last. */
        ONE,
        /** {@code QQ2}: the connection stays open after an answer 0. */
        MANY
    }

    private QueueProtocol() {
    }

    /** A submission's header: {@code QQ2} if {@code many}, else {@code QQ1}, then {@code qp}. */
    public static byte[] header(boolean many, long qp) {
        byte[] h = new byte[HEADER_LEN];
        System.arraycopy(many ? MAGIC_MANY : MAGIC, 0, h, 0, 3);
        be32(h, 3, (int) qp);
        return h;
    }

    /** The submission a header's first three bytes start, or null if they are no magic. */
    public static Magic magic(byte[] head) {
        if (Arrays.equals(head, 0, 3, MAGIC_MANY, 0, 3)) {
            return Magic.MANY;
        }
        return Arrays.equals(head, 0, 3, MAGIC, 0, 3) ? Magic.ONE : null;
    }

    /** The qp a header asks for (0: let the server number the submission). */
    public static long qp(byte[] head) {
        return be32(head, 3) & 0xffffffffL;
    }

    /** A message chunk's length into {@code hdr[0..4)}; 0 is {@link #END}. */
    public static void chunkLength(byte[] hdr, int n) {
        be32(hdr, 0, n);
    }

    /** An answer as the server writes it: {@code code}, {@code qp} and no text. */
    public static byte[] answer(int code, long qp) {
        byte[] r = new byte[ANSWER_LEN];
        r[0] = (byte) code;
        be32(r, 1, (int) qp);
        r[5] = 0;
        return r;
    }

    /** An answer's fixed part, decoded; {@code textLength} bytes of fd 6 text follow. */
    public record Answer(int code, long qp, int textLength) {
    }

    /** Decodes the {@link #ANSWER_LEN} bytes of an answer's fixed part. */
    public static Answer answer(byte[] head) {
        return new Answer(head[0] & 0xff, be32(head, 1) & 0xffffffffL, head[5] & 0xff);
    }

    /**
     * The message as it arrives: chunks {@code {len (4 bytes BE, 1..CHUNK_MAX); bytes}*}, then
     * a zero length. {@link #read} gives the message's bytes and -1 at its end; a length out of
     * range or end of input inside the message throws.
     */
    public static final class Chunks {
        private final SubstdioIn in;
        private final byte[] hdr = new byte[4];
        private int left;
        private boolean done;

        public Chunks(SubstdioIn in) {
            this.in = in;
        }

        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                in.readFully(hdr, 0, 4);
                int n = be32(hdr, 0);
                if (n == 0) {
                    done = true;
                    return -1;
                }
                if (n < 0 || n > CHUNK_MAX) {
                    throw new IOException("bad chunk length");
                }
                left = n;
            }
            int r = in.read(b, off, Math.min(len, left));
            if (r < 0) {
                throw new EOFException();
            }
            left -= r;
            return r;
        }
    }

    /** Big-endian 32-bit integer into {@code b[off..off+4)}. */
    public static void be32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    public static int be32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8)
                | (b[off + 3] & 0xff);
    }
}
