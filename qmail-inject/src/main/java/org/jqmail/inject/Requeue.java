package org.jqmail.inject;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.jqmail.control.Qmail;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;
import org.jqmail.io.Fmt;

/**
 * Queues a delivered message again, as {@code forward} and {@code condredirect} do: the
 * {@code DTLINE} (Delivered-To) followed by the message on stdin, with a given envelope sender,
 * to given recipients (forward(1), condredirect(1)).
 *
 * <p>Prints {@code PROG: qp N} on stderr and returns {@code successCode} when queued;
 * {@code PROG: fatal: TEXT} and 100 (permanent) or 111 (temporary) otherwise.
 */
final class Requeue {
    private Requeue() {
    }

    static int run(String prog, Qmail.Opener opener, byte[] sender, byte[] dtline, InputStream in,
            List<byte[]> rcpts, OutputStream err, int successCode) {
        String fatal = prog + ": fatal: ";
        Qmail qq;
        try {
            qq = opener.open();
        } catch (IOException e) {
            return say(err, Bytes.ascii(fatal + "unable to fork: " + Errors.str(e) + "\n"), 111);
        }
        qq.put(dtline);
        byte[] b = new byte[8192];
        try {
            int n;
            while ((n = in.read(b)) > 0) {
                qq.put(b, 0, n);
            }
        } catch (IOException e) {
            return say(err, Bytes.ascii(fatal + "unable to read message: " + Errors.str(e) + "\n"), 111);
        }
        qq.from(sender);
        for (byte[] r : rcpts) {
            qq.to(r);
        }
        String status = qq.close();
        if (!status.isEmpty()) {
            return say(err, Bytes.concat(Bytes.ascii(fatal + status.substring(1)), new byte[] {'\n'}),
                    status.charAt(0) == 'D' ? 100 : 111);
        }
        return say(err, Bytes.concat(Bytes.ascii(prog + ": qp "), Fmt.ulong(qq.qp()), new byte[] {'\n'}),
                successCode);
    }

    /** Writes {@code text} to {@code err} and returns {@code code}. */
    static int say(OutputStream err, byte[] text, int code) {
        try {
            err.write(text);
            err.flush();
        } catch (IOException e) {
            // Nothing left to do.
        }
        return code;
    }

    static int say(OutputStream err, String text, int code) {
        return say(err, Bytes.ascii(text), code);
    }
}
