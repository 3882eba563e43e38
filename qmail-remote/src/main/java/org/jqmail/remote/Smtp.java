package org.jqmail.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.jqmail.control.Failure;
import org.jqmail.control.TempFail;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;

/**
 * The SMTP client dialogue on a connected socket (qmail-remote(8)), qmail-remote's {@code smtp()}:
 * greeting, {@code HELO}, {@code MAIL}, one {@code RCPT} per recipient, {@code DATA}, the
 * message, and {@code QUIT} without waiting for its reply. Recipient records go to
 * {@link Reports} as their replies arrive; the message outcome is the returned {@code K} text or
 * a thrown {@link Failure}.
 *
 * <p>Replies are parsed byte by byte exactly as {@code smtpcode()} does (the code is the first
 * three bytes taken as digits, with C's unsigned arithmetic for non-digits; continuation lines
 * have {@code -} as fourth byte); CRs are dropped from the remembered text, which is kept up to
 * 5000 bytes. Any read or write failure or timeout is "connection died", marked "Possible
 * duplicate!" between sending the final dot and reading its reply.
 *
 * <p>Buffers are qmail's: 1024 bytes to the peer, 128 from it, 1024 from the message.
 *
 * <p>See also: {@code qmail-remote.c}, RFC 5321.
 */
final class Smtp {
    static final int HUGESMTPTEXT = 5000;

    /** A failure on the connection (read, write, timeout, end of stream). */
    private static final class Died extends IOException {
        private static final long serialVersionUID = 1L;

        Died() {
            super(null, null);
        }
    }

    private Connector.Connection conn;
    /** The TLS policy (null: qmail's HELO dialogue) and the port, for the certificate's checks. */
    private final ClientTls tls;
    private final int port;
    /** {@code PROTOCOL CIPHER} once TLS is up. */
    private String tlsInfo;
    private final Reports reports;
    private final byte[] host;
    private final SubstdioOut smtpto;
    private final byte[] inbuf = new byte[128];
    private int inpos;
    private int inlen;
    private final ByteBuf smtptext = new ByteBuf(HUGESMTPTEXT);
    private boolean flagcritical;

    /** @param partner the address connected to */
    Smtp(Connector.Connection conn, Reports reports, int partner) {
        this(conn, reports, partner, null, 0);
    }

    /** With a TLS policy ({@link ClientTls}; null for none) and the port connected to. */
    Smtp(Connector.Connection conn, Reports reports, int partner, ClientTls tls, int port) {
        this.conn = conn;
        this.tls = tls;
        this.port = port;
        this.reports = reports;
        this.host = Ip.fmt(partner);
        this.smtpto = new SubstdioOut(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    Smtp.this.conn.write(b, off, len);
                } catch (IOException e) {
                    throw new Died();
                }
            }
        }, 1024);
    }

    /**
     * Runs the dialogue; returns the text of the {@code K} record.
     *
     * @param sender the quoted envelope sender
     * @param recips the quoted recipients
     */
    byte[] run(byte[] helohost, byte[] sender, List<byte[]> recips, InputStream message)
            throws Failure, IOException {
        try {
            return dialogue(helohost, sender, recips, message);
        } catch (Died e) {
            throw dropped();
        }
    }

    private byte[] dialogue(byte[] helohost, byte[] sender, List<byte[]> recips, InputStream message)
            throws Failure, IOException {
        if (smtpcode() != 220) {
            return quit('Z', "Connected to ", " but greeting failed");
        }
        if (tls != null) {
            hello(helohost);
        } else {
            smtpto.puts("HELO ").put(helohost).puts("\r\n").flush();
            if (smtpcode() != 250) {
                return quit('Z', "Connected to ", " but my name was rejected");
            }
        }
        smtpto.puts("MAIL FROM:<").put(sender).puts(">\r\n").flush();
        long code = smtpcode();
        if (atLeast(code, 500)) {
            return quit('D', "Connected to ", " but sender was rejected");
        }
        if (atLeast(code, 400)) {
            return quit('Z', "Connected to ", " but sender was rejected");
        }
        boolean flagbother = false;
        for (byte[] r : recips) {
            smtpto.puts("RCPT TO:<").put(r).puts(">\r\n").flush();
            code = smtpcode();
            if (atLeast(code, 400)) {
                reports.put(new byte[] {(byte) (atLeast(code, 500) ? 'h' : 's')});
                reports.put(host);
                reports.puts(" does not like recipient.\n");
                reports.put(takeSmtptext());
                reports.zero();
            } else {
                reports.puts("r");
                reports.zero();
                flagbother = true;
            }
        }
        if (!flagbother) {
            return quit('D', "Giving up on ", "");
        }
        smtpto.puts("DATA\r\n").flush();
        code = smtpcode();
        if (atLeast(code, 500)) {
            return quit('D', "", " failed on DATA command");
        }
        if (atLeast(code, 400)) {
            return quit('Z', "", " failed on DATA command");
        }
        blast(message);
        code = smtpcode();
        flagcritical = false;
        if (atLeast(code, 500)) {
            return quit('D', "", " failed after I sent the message");
        }
        if (atLeast(code, 400)) {
            return quit('Z', "", " failed after I sent the message");
        }
        return quit('K', "", " accepted message");
    }

    /**
     * EHLO, and STARTTLS when the peer offers it (RFC 3207), then EHLO again over TLS; when TLS
     * is required, a peer without it, or a certificate that fails the checks, is a temporary
     * failure. A peer that rejects EHLO gets qmail's HELO (unless TLS is required).
     */
    private void hello(byte[] helohost) throws Failure, IOException {
        smtpto.puts("EHLO ").put(helohost).puts("\r\n").flush();
        if (smtpcode() != 250) {
            if (tls.required) {
                quit('Z', "Connected to ", " but it rejected EHLO, and TLS is required");
            }
            smtpto.puts("HELO ").put(helohost).puts("\r\n").flush();
            if (smtpcode() != 250) {
                quit('Z', "Connected to ", " but my name was rejected");
            }
            return;
        }
        if (!offers("STARTTLS")) {
            if (tls.required) {
                quit('Z', "Connected to ", " but it does not offer STARTTLS, and TLS is required");
            }
            return;
        }
        smtpto.puts("STARTTLS\r\n").flush();
        if (smtpcode() != 220) {
            if (tls.required) {
                quit('Z', "Connected to ", " but STARTTLS failed, and TLS is required");
            }
            return;
        }
        inpos = inlen;
        org.jqmail.io.TlsStreams t = ClientTls.streams(tls.engine(port), conn);
        try {
            t.handshake();
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage());
            throw Trouble.of((byte) 'Z', Bytes.concat(Bytes.ascii("Connected to "), host, Bytes.ascii(
                    " but the TLS handshake failed" + (tls.required ? " (control/tlshosts/" + tls.host + ".pem): "
                            : ": ") + printable(why) + " (#4.7.5)\n")));
        }
        tlsInfo = t.engine().getSession().getProtocol() + " " + t.engine().getSession().getCipherSuite()
                + (tls.required ? " verified" : "");
        conn = ClientTls.over(t, conn);
        smtpto.puts("EHLO ").put(helohost).puts("\r\n").flush();
        if (smtpcode() != 250) {
            quit('Z', "Connected to ", " but my name was rejected");
        }
    }

    /** True if the last reply (an EHLO's) has a line naming {@code ext}. */
    private boolean offers(String ext) {
        byte[] t = smtptext.toByteArray();
        int start = 0;
        for (int i = 0; i <= t.length; i++) {
            if (i == t.length || t[i] == '\n') {
                if (i - start - 4 == ext.length() && Bytes.regionMatchesIgnoreCase(t, start + 4, Bytes.ascii(ext), 0,
                        ext.length())) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 200; i++) {
            char c = s.charAt(i);
            b.append(c >= 32 && c < 127 ? c : '?');
        }
        return b.toString();
    }

    /** C's {@code code >= n} on an unsigned long. */
    private static boolean atLeast(long code, long n) {
        return Long.compareUnsigned(code, n) >= 0;
    }

    /**
     * {@code quit()}: sends QUIT, then the message outcome: the letter's text, the address, the
     * rest, a period and newline, and the last reply if it was not printed yet.
     */
    private byte[] quit(char letter, String prepend, String append) throws Failure, IOException {
        smtpto.puts("QUIT\r\n").flush();
        ByteBuf b = new ByteBuf(HUGESMTPTEXT * 2);
        b.append(prepend).append(host).append(append).append(".\n");
        if (tlsInfo != null) {
            b.append("TLS ").append(tlsInfo).append(".\n");
        }
        b.append(takeSmtptext());
        if (letter == 'K') {
            return b.toByteArray();
        }
        throw Trouble.of((byte) letter, b.toByteArray());
    }

    /** {@code dropped()}. */
    private Failure dropped() {
        ByteBuf b = new ByteBuf(128);
        b.append("Connected to ").append(host).append(" but connection died. ");
        if (flagcritical) {
            b.append("Possible duplicate! ");
        }
        b.append("(#4.4.2)\n");
        return Trouble.of((byte) 'Z', b.toByteArray());
    }

    /**
     * {@code outsmtptext()}: {@code Remote host said: } and the remembered reply (NUL bytes as
     * {@code ?}) if there is one, which is then forgotten; otherwise nothing.
     */
    private byte[] takeSmtptext() {
        if (smtptext.isEmpty()) {
            return new byte[0];
        }
        byte[] t = smtptext.toByteArray();
        for (int i = 0; i < t.length; i++) {
            if (t[i] == 0) {
                t[i] = '?';
            }
        }
        smtptext.clear();
        return Bytes.concat(Bytes.ascii("Remote host said: "), t);
    }

    /** {@code get()}: one byte of the reply; CRs are not remembered. */
    private int get() throws Died {
        if (inpos == inlen) {
            int r;
            try {
                r = conn.read(inbuf, 0, inbuf.length);
            } catch (IOException e) {
                throw new Died();
            }
            if (r <= 0) {
                throw new Died();
            }
            inpos = 0;
            inlen = r;
        }
        int ch = inbuf[inpos++] & 0xff;
        if (ch != '\r' && smtptext.length() < HUGESMTPTEXT) {
            smtptext.append(ch);
        }
        return ch;
    }

    /** {@code smtpcode()}. */
    long smtpcode() throws Died {
        smtptext.clear();
        long code = get() - '0';
        code = code * 10 + (get() - '0');
        code = code * 10 + (get() - '0');
        int ch;
        for (;;) {
            ch = get();
            if (ch != '-') {
                break;
            }
            while (ch != '\n') {
                ch = get();
            }
            get();
            get();
            get();
        }
        while (ch != '\n') {
            ch = get();
        }
        return code;
    }

    /**
     * {@code blast()}: the message, dot-stuffed, with every line ended by CRLF (qmail-remote(8),
     * notqmail's CR handling), then the final dot.
     */
    private void blast(InputStream message) throws Failure, IOException {
        SubstdioIn ssin = new SubstdioIn(message, 1024);
        for (;;) {
            int ch = read(ssin);
            if (ch < 0) {
                break;
            }
            if (ch == '.') {
                smtpto.put('.');
            }
            while (ch != '\n') {
                if (ch == '\r') {
                    ch = read(ssin);
                    if (ch < 0) {
                        break;
                    }
                    if (ch != '\n') {
                        smtpto.put('\r').put('\n');
                    } else {
                        break;
                    }
                }
                smtpto.put(ch);
                ch = read(ssin);
                if (ch < 0) {
                    throw Trouble.permPartialline();
                }
            }
            smtpto.put('\r').put('\n');
        }
        flagcritical = true;
        smtpto.puts(".\r\n").flush();
    }

    private static int read(SubstdioIn ssin) throws TempFail {
        try {
            return ssin.get();
        } catch (IOException e) {
            throw Trouble.tempRead();
        }
    }
}
