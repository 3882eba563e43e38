package org.jqmail.control;

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
 * through its pool of idle connections ({@link QueueClient.Pool}).
 *
 * <p>The submitter's uid is never sent: the server takes it from the kernel (SO_PEERCRED),
 * once per connection (a connection's peer cannot change).
 */
public final class QueueProtocol {
    public static final byte[] MAGIC = {'Q', 'Q', '1'};
    /** A submission after which the connection stays open if it is answered 0. */
    public static final byte[] MAGIC_MANY = {'Q', 'Q', '2'};
    /** Largest message chunk a client sends and a server accepts. */
    public static final int CHUNK_MAX = 64 * 1024;
    /** Largest fd 6 text (doc/PROTOCOLS.md §1.2: at most 255 bytes are read). */
    public static final int TEXT_MAX = 255;

    private QueueProtocol() {
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
