package org.jqmail.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.Failure;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Fmt;
import org.jqmail.io.Netstring;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;

/**
 * The QMTP client on a connected socket, for the hosts of {@code control/qmtproutes}
 * (doc/QMTP.md §7; not in qmail 1.03, which speaks only SMTP).
 *
 * <p>One message per connection: the message netstring (a {@code \n}, saying the lines end in
 * LF, then the queued bytes as they are), the sender netstring, and a netstring of recipient
 * netstrings, all unquoted; then one answer netstring per recipient, in order, each starting
 * with {@code K} (accepted), {@code Z} (temporary) or {@code D} (permanent). An answer longer
 * than {@link #REPLY_MAX} bytes, an empty one, one with another first byte, or a framing
 * error is a temporary failure, as is a connection that dies (then "Possible duplicate!" once
 * the whole message was sent).
 *
 * <p>Reports as {@link Smtp} does: {@code r} for an accepted recipient, {@code s}/{@code h}
 * with {@code does not like recipient.} and the answer for a refused one, and for the message
 * {@code K} ({@code accepted message by QMTP.}) if any recipient was accepted, otherwise
 * {@code D} ({@code Giving up on}). The recipient records are written only once every answer
 * was read, so a broken session leaves only the message record ({@code Z}).
 *
 * <p>See also: the QMTP description (doc/QMTP.md §1), qmail-qmtpd.
 */
final class Qmtp {
    /** The longest answer read (the same bound as an SMTP reply's remembered text). */
    static final int REPLY_MAX = Smtp.HUGESMTPTEXT;

    /** A failure on the connection (read, write, timeout, end of stream). */
    private static final class Died extends IOException {
        private static final long serialVersionUID = 1L;

        Died() {
            super(null, null);
        }
    }

    /** An answer that is not a K/Z/D netstring within the bound. */
    static final class BadReply extends IOException {
        private static final long serialVersionUID = 1L;

        BadReply(String why) {
            super(why);
        }
    }

    private final Connector.Connection conn;
    private final Reports reports;
    private final byte[] host;
    private boolean flagcritical;

    /** @param partner the address connected to */
    Qmtp(Connector.Connection conn, Reports reports, int partner) {
        this.conn = conn;
        this.reports = reports;
        this.host = Ip.fmt(partner);
    }

    /**
     * Delivers {@code message} on {@code conn}, first spooling it if its length is unknown
     * ({@link Spool}); returns the text of the {@code K} record.
     */
    static byte[] send(Connector.Connection conn, Reports reports, int partner, byte[] sender, List<byte[]> recips,
                       Remote.Message message) throws Failure, IOException {
        Qmtp q = new Qmtp(conn, reports, partner);
        long size = message.size().getAsLong();
        if (size >= 0) {
            return q.run(sender, recips, message.in(), size);
        }
        try (Spool s = Spool.of(message.in())) {
            return q.run(sender, recips, s.in(), s.size());
        }
    }

    /**
     * Sends the message of {@code size} bytes and reads the answers; returns the text of the
     * {@code K} record.
     *
     * @param sender the envelope sender, unquoted
     * @param recips the recipients, unquoted
     */
    byte[] run(byte[] sender, List<byte[]> recips, InputStream message, long size) throws Failure, IOException {
        SubstdioOut to = new SubstdioOut(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    conn.write(b, off, len);
                } catch (IOException e) {
                    throw new Died();
                }
            }
        }, 8192);
        List<byte[]> answers;
        try {
            to.put(Fmt.ulong(Math.addExact(size, 1))).put(':').put('\n');
            copy(message, size, to);
            to.put(',');
            to.put(Netstring.encode(sender));
            ByteBuf r = new ByteBuf(256, Integer.MAX_VALUE);
            for (byte[] a : recips) {
                r.append(Netstring.encode(a));
            }
            to.put(Fmt.ulong(r.length())).put(':').put(r.array(), 0, r.length()).put(',');
            to.flush();
            flagcritical = true;
            answers = answers(new SubstdioIn(new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] b = new byte[1];
                    return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return conn.read(b, off, len);
                    } catch (IOException e) {
                        throw new Died();
                    }
                }
            }, 128), recips.size());
        } catch (Died | java.io.EOFException e) {
            throw dropped();
        } catch (Netstring.FormatException | Netstring.TooLongException | BadReply e) {
            throw Trouble.of((byte) 'Z', Bytes.concat(Bytes.ascii("Connected to "), host,
                    Bytes.ascii(" but its QMTP answer was malformed. Possible duplicate! (#4.4.2)\n")));
        }
        return report(answers);
    }

    /** Copies exactly {@code size} bytes of the message; fewer is a read failure. */
    private static void copy(InputStream message, long size, SubstdioOut to) throws IOException, Failure {
        byte[] buf = new byte[8192];
        long left = size;
        while (left > 0) {
            int n;
            try {
                n = message.read(buf, 0, (int) Math.min(buf.length, left));
            } catch (IOException e) {
                throw Trouble.tempRead();
            }
            if (n < 0) {
                throw Trouble.tempRead();
            }
            to.put(buf, 0, n);
            left -= n;
        }
    }

    /**
     * Reads {@code count} answers: netstrings of at most {@link #REPLY_MAX} bytes, each
     * starting with K, Z or D. Throws {@link BadReply} or a {@link Netstring} framing
     * exception for anything else, {@link java.io.EOFException} at an early end.
     */
    static List<byte[]> answers(SubstdioIn in, int count) throws IOException {
        List<byte[]> l = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            byte[] a = Netstring.read(in, REPLY_MAX);
            if (a.length == 0 || (a[0] != 'K' && a[0] != 'Z' && a[0] != 'D')) {
                throw new BadReply("answer without K, Z or D");
            }
            l.add(a);
        }
        return l;
    }

    /** Writes the recipient records; returns the K text or throws the message's failure. */
    private byte[] report(List<byte[]> answers) throws Failure, IOException {
        byte[] accepted = null;
        for (byte[] a : answers) {
            if (a[0] == 'K') {
                reports.puts("r");
                if (accepted == null) {
                    accepted = a;
                }
            } else {
                reports.put(new byte[] {(byte) (a[0] == 'D' ? 'h' : 's')});
                reports.put(host);
                reports.puts(" does not like recipient.\n");
                reports.put(said(a));
            }
            reports.zero();
        }
        if (accepted == null) {
            throw Trouble.of((byte) 'D', Bytes.concat(Bytes.ascii("Giving up on "), host, Bytes.ascii(".\n")));
        }
        return Bytes.concat(host, Bytes.ascii(" accepted message by QMTP.\n"), said(accepted));
    }

    /** {@code Remote host said: }, the answer after its letter (NUL as {@code ?}), newline. */
    static byte[] said(byte[] answer) {
        byte[] t = Bytes.sub(answer, 1);
        for (int i = 0; i < t.length; i++) {
            if (t[i] == 0) {
                t[i] = '?';
            }
        }
        return Bytes.concat(Bytes.ascii("Remote host said: "), t, Bytes.ascii("\n"));
    }

    private Failure dropped() {
        return Trouble.of((byte) 'Z', Bytes.concat(Bytes.ascii("Connected to "), host, Bytes.ascii(
                " but connection died. " + (flagcritical ? "Possible duplicate! " : "") + "(#4.4.2)\n")));
    }
}
