package org.jqmail.qmtpd;

import java.io.IOException;
import java.util.function.LongSupplier;
import org.jqmail.control.Qmail;
import org.jqmail.control.Received;
import org.jqmail.io.Bytes;
import org.jqmail.io.Fmt;
import org.jqmail.io.SubstdioOut;

/**
 * One QMQP connection of qmail-qmqpd: one message in one netstring, one answer (doc/QMTP.md §3,
 * qmail-qmqpd(8)).
 *
 * <p>Entry point: {@link #run}, which answers and returns, or ends through {@link Quit}: 0 when
 * the client closes the connection, 100 for a framing error or a byte beyond the outer
 * netstring's length, 111 for a length over qmail's cap or the queue not starting. Every
 * sender and recipient is accepted, relaying included: only trusted clients may connect. An
 * address of 1000 bytes or longer, or holding a NUL, fails the whole message.
 *
 * <p>Not thread-safe; pure apart from the queue it is given.
 */
final class Qmqpd {
    static final String ADDRESSES = "Dsorry, I can't accept addresses like that (#5.1.3)";
    /** Before the outer length is known, qmail-qmqpd reads at most this many bytes. */
    static final long FIRST = 100;

    private final Wire in;
    private final SubstdioOut out;
    private final Qmail.Opener queue;
    private final Remote remote;
    private final LongSupplier clock;
    private final byte[] buf = new byte[Qmtpd.ADDR];
    private final byte[] chunk = new byte[8192];
    private boolean flagok = true;

    Qmqpd(Wire in, SubstdioOut out, Qmail.Opener queue, Remote remote, LongSupplier clock) {
        this.in = in;
        this.out = out;
        this.queue = queue;
        this.remote = remote;
        this.clock = clock;
    }

    void run() throws Quit {
        in.budget(FIRST);
        in.budget(in.length());
        long len = in.length();
        Qmail qq;
        try {
            qq = queue.open();
        } catch (IOException | RuntimeException e) {
            throw new Quit(Quit.RESOURCES);
        }
        qq.put(Received.line("QMQP", remote.local, remote.remoteip, remote.remotehost, remote.remoteinfo, null,
                clock.getAsLong()));
        while (len > 0) {
            int n = in.read(chunk, (int) Math.min(len, chunk.length));
            qq.put(chunk, 0, n);
            len -= n;
        }
        in.comma();
        byte[] sender = address();
        if (sender != null) {
            qq.from(sender);
        } else {
            qq.from(new byte[0]);
            qq.fail();
            flagok = false;
        }
        while (in.budget() != 0) {
            byte[] rcpt = address();
            if (rcpt != null) {
                qq.to(rcpt);
            } else {
                qq.fail();
                flagok = false;
            }
        }
        in.budget(1);
        in.comma();
        String result = qq.close();
        if (result.isEmpty()) {
            result = "Kok " + clock.getAsLong() + " qp " + qq.qp();
        }
        if (!flagok) {
            result = ADDRESSES;
        }
        byte[] r = result.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        try {
            out.put(Fmt.ulong(r.length)).puts(":").put(r).puts(",").flush();
        } catch (IOException e) {
            throw new Quit(Quit.EOF);
        }
    }

    /** {@code getbuf()}: one address netstring; null when too long or holding a NUL. */
    private byte[] address() throws Quit {
        long len = in.length();
        if (len >= Qmtpd.ADDR) {
            in.skip(len);
            in.comma();
            return null;
        }
        int n = (int) len;
        boolean nul = false;
        for (int i = 0; i < n; i++) {
            buf[i] = (byte) in.get();
            nul |= buf[i] == 0;
        }
        in.comma();
        return nul ? null : Bytes.sub(buf, 0, n);
    }
}
