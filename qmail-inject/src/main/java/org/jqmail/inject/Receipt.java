package org.jqmail.inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import org.jqmail.control.Failure;
import org.jqmail.control.PermFail;
import org.jqmail.control.Qmail;
import org.jqmail.control.Quote;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;

/**
 * qreceipt's work: when a message's {@code Notice-Requested-Upon-Delivery-To} fields name the
 * delivery address exactly, a success notice goes to the envelope sender (qmail's
 * {@code qreceipt.c}).
 *
 * <p>Synopsis: {@code new Receipt(target, sender, opener, err).run(in)} returns the exit code.
 * The header is read with qmail's {@code headerbody} rules; the addresses of every
 * Notice-Requested-Upon-Delivery-To field are parsed as qmail-inject parses addresses, and each
 * one, unquoted, is compared with the target byte for byte. The last {@code Message-ID} field is
 * quoted in the notice. The notice is queued directly (no qmail-inject): from the empty sender
 * to SENDER, with the header {@code From: DELIVERY NOTICE SYSTEM <SENDER>}, {@code To: <SENDER>}
 * and {@code Subject: success notice}, SENDER quoted as qmail quotes addresses.
 *
 * <p>Exit codes: 0 when no notice is asked for (or SENDER is empty or {@code #@[]}, the double
 * bounce address) and after a notice is queued; 100 with {@code qreceipt: fatal: unable to
 * parse this: FIELD} for a field that does not parse, or a permanent queue error; 111 for a
 * temporary one or a read error. A field longer than {@link Inject#FIELD_MAX} counts as qmail's
 * out of memory (111).
 *
 * <p>See also: qreceipt(1), envelopes(5), qreceipt.c.
 */
final class Receipt implements HeaderBody.Handler {
    private static final String FATAL = "qreceipt: fatal: ";

    private final byte[] target;
    private final byte[] sender;
    private final Qmail.Opener opener;
    private final OutputStream err;
    private boolean receipt;
    private byte[] messageId;
    /** Set when the header is done: the exit code, or -1 to read on. */
    private int code = -1;

    Receipt(byte[] target, byte[] sender, Qmail.Opener opener, OutputStream err) {
        this.target = target;
        this.sender = sender;
        this.opener = opener;
        this.err = err;
    }

    /** Reads the message and returns the exit code. */
    int run(InputStream in) {
        try {
            new HeaderBody(new SubstdioIn(in, 8192), this, Inject.FIELD_MAX).run();
        } catch (Done d) {
            return code;
        } catch (Failure f) {
            return Requeue.say(err, f.text(), f.exitCode());
        } catch (HeaderBody.TooLong e) {
            return Requeue.say(err, FATAL + "out of memory\n", 111);
        } catch (IOException e) {
            return Requeue.say(err, FATAL + "read error\n", 111);
        }
        return code < 0 ? 0 : code;
    }

    /** Ends reading early: once the header is done, the body does not matter. */
    private static final class Done extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Done() {
            super(null, null, false, false);
        }
    }

    @Override
    public void field(byte[] h) throws Failure {
        HeaderField f = HeaderField.known(h, h.length);
        if (f == HeaderField.MESSAGE_ID) {
            messageId = h;
        } else if (f == HeaderField.NOTICE_REQUESTED_UPON_DELIVERY_TO) {
            List<Token822.Token> t = Token822.parse(h);
            if (t == null || AddrList.rewrite(t, this::notice) == null) {
                throw new PermFail(Bytes.concat(Bytes.ascii(FATAL + "unable to parse this: "), h));
            }
        }
    }

    /** One address, as AddrList hands it over (reversed). */
    private void notice(List<Token822.Token> addr) {
        if (Arrays.equals(Token822.unquote(Token822.reversed(addr)), target)) {
            receipt = true;
        }
    }

    @Override
    public void headerDone() throws Failure {
        if (!receipt || sender.length == 0 || Arrays.equals(sender, Bytes.ascii("#@[]"))) {
            code = 0;
            throw new Done();
        }
        byte[] q = Quote.quote2(sender);
        Qmail qq;
        try {
            qq = opener.open();
        } catch (IOException e) {
            code = Requeue.say(err, FATAL + "unable to fork\n", 111);
            throw new Done();
        }
        ByteBuf m = new ByteBuf(Integer.MAX_VALUE - 8);
        m.append("From: DELIVERY NOTICE SYSTEM <").append(q).append(">\n");
        m.append("To: <").append(q).append(">\n");
        m.append("Subject: success notice\n\n");
        m.append("Hi! This is the qreceipt program. Your message was delivered to the\n");
        m.append("following address: ").append(target).append(". Thanks for asking.\n");
        if (messageId != null) {
            m.append("Your ").append(messageId);
        }
        qq.put(m.toByteArray());
        qq.from(new byte[0]);
        qq.to(sender);
        String status = qq.close();
        if (status.isEmpty()) {
            code = 0;
        } else if (status.charAt(0) == 'D') {
            code = Requeue.say(err, FATAL + "permanent qmail-queue error\n", 100);
        } else {
            code = Requeue.say(err, FATAL + "temporary qmail-queue error\n", 111);
        }
        throw new Done();
    }

    @Override
    public void body(byte[] b, int off, int n) {
    }
}
