package org.jqmail.local;

import java.io.IOException;
import java.io.InputStream;

/**
 * The message body of an mbox entry (mbox(5)): every line matching {@code ^>*From }
 * gets one more leading {@code >} (mboxrd quoting, qmail's {@code gfrom}), a final partial line
 * gets a {@code \n}, and one blank line follows the message.
 *
 * <p>Streams in constant memory whatever the line lengths: at the start of a line it counts the
 * {@code >} bytes and holds at most five more bytes until it knows whether {@code From }
 * follows.
 */
final class MboxQuoter {
    private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};
    private static final byte[] GT = {'>'};
    private static final byte[] NL = {'\n'};
    private static final int BUF = 8192;

    /** Where the quoted bytes go. */
    interface Out {
        void put(byte[] b, int off, int n) throws IOException;
    }

    /** Reading the message failed (as opposed to writing the mbox). */
    static final class ReadError extends IOException {
        private static final long serialVersionUID = 1L;

        ReadError(IOException cause) {
            super(cause);
        }
    }

    private final Out out;
    private boolean atStart = true;
    private long gt;
    private final byte[] pre = new byte[FROM.length];
    private int preLen;

    private MboxQuoter(Out out) {
        this.out = out;
    }

    /** Copies {@code in} to {@code out} quoted, with the final newline(s). */
    static void copy(InputStream in, Out out) throws IOException {
        MboxQuoter q = new MboxQuoter(out);
        byte[] b = new byte[BUF];
        for (;;) {
            int n;
            try {
                n = in.read(b);
            } catch (IOException e) {
                throw new ReadError(e);
            }
            if (n < 0) {
                break;
            }
            q.feed(b, n);
        }
        q.finish();
    }

    private void feed(byte[] b, int n) throws IOException {
        int i = 0;
        while (i < n) {
            if (!atStart) {
                int j = i;
                while (j < n && b[j] != '\n') {
                    j++;
                }
                if (j < n) {
                    j++;
                    atStart = true;
                }
                out.put(b, i, j - i);
                i = j;
                continue;
            }
            byte c = b[i++];
            if (preLen == 0 && c == '>') {
                gt++;
                continue;
            }
            pre[preLen++] = c;
            if (c == '\n' || preLen == FROM.length) {
                decide();
                atStart = c == '\n';
            }
        }
    }

    /** Writes the held start of a line, with the extra {@code >} if it is a From line. */
    private void decide() throws IOException {
        if (preLen == FROM.length && java.util.Arrays.equals(pre, FROM)) {
            out.put(GT, 0, 1);
        }
        for (; gt > 0; gt--) {
            out.put(GT, 0, 1);
        }
        out.put(pre, 0, preLen);
        preLen = 0;
    }

    private void finish() throws IOException {
        if (atStart && (gt > 0 || preLen > 0)) {
            decide();
            atStart = false;
        }
        if (!atStart) {
            out.put(NL, 0, 1);
        }
        out.put(NL, 0, 1);
    }
}
