package org.jqmail.local;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.jqmail.control.Failure;
import org.jqmail.control.Qmail;

/**
 * Forwarding (dot-qmail(5)), qmail-local's {@code mailforward}: all forward addresses of the
 * {@code .qmail} file in one queue submission, after every other instruction. The message is
 * DTLINE followed by the original message (no Return-Path), the envelope sender NEWSENDER, the
 * recipients the addresses exactly as written. A read error fails the submission
 * ({@code qmail_fail}); the queue's status then decides: {@code D} → exit 100, otherwise 111,
 * with {@code Unable to forward message: TEXT.}.
 */
final class Forward {
    private static final int BUF = 8192;

    private Forward() {
    }

    /** Submits; returns the qp to report. */
    static long send(Qmail.Opener opener, Message msg, byte[] dtline, byte[] newsender,
            List<byte[]> recips) throws Failure {
        InputStream in;
        try {
            in = msg.rewind();
        } catch (IOException e) {
            throw Trouble.rewind();
        }
        Qmail q;
        try {
            q = opener.open();
        } catch (IOException e) {
            throw Trouble.fork(e);
        }
        q.put(dtline, 0, dtline.length);
        byte[] b = new byte[BUF];
        try {
            int n;
            while ((n = in.read(b)) >= 0) {
                q.put(b, 0, n);
            }
        } catch (IOException e) {
            q.fail();
        }
        q.from(newsender);
        for (byte[] r : recips) {
            q.to(r);
        }
        String status = q.close();
        if (status.isEmpty()) {
            return q.qp();
        }
        throw Trouble.forward(status);
    }
}
