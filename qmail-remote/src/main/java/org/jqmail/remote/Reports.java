package org.jqmail.remote;

import java.io.IOException;
import java.io.OutputStream;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioOut;

/**
 * qmail-remote's output (qmail-remote(8)): records of a letter, a text and a {@code \0}; recipient
 * records {@code r}/{@code h}/{@code s} in argument order, then one message record
 * {@code K}/{@code Z}/{@code D}. Written through a 256-byte buffer like qmail's
 * {@code subfdoutsmall} and flushed when the message record is complete.
 *
 * <p>A write error is an {@link IOException} from every method; qmail then exits 0 without
 * another word, and so does the caller.
 */
public final class Reports {
    private final SubstdioOut out;
    private boolean open;
    private boolean done;

    public Reports(OutputStream os) {
        this.out = new SubstdioOut(os, 256);
    }

    void put(byte[] b) throws IOException {
        open = true;
        out.put(b);
    }

    void puts(String ascii) throws IOException {
        put(Bytes.ascii(ascii));
    }

    /** {@code zero()}: ends the current record. */
    void zero() throws IOException {
        out.put(0);
        open = false;
    }

    /** Writes the message record and flushes ({@code zerodie()} without the exit). */
    public void message(byte letter, byte[] text) throws IOException {
        put(new byte[] {letter});
        put(text);
        zero();
        done = true;
        out.flush();
    }

    /** True once the message record was written. */
    public boolean done() {
        return done;
    }

    /**
     * After an unexpected error: closes any half-written record and ends with a temporary
     * message record, so that qmail-rspawn's fold can never turn a crash into a bounce (a
     * lone {@code r} record folds to {@code D}).
     */
    public void crash() throws IOException {
        if (done) {
            out.flush();
            return;
        }
        if (open) {
            zero();
        }
        message((byte) 'Z', Trouble.tempBug().text());
    }

    /** {@code outsafe}: bytes below 33 or above 126 become {@code ?}. */
    static void appendSafe(ByteBuf b, byte[] s) {
        for (byte c : s) {
            int u = c & 0xff;
            b.append(u < 33 || u > 126 ? '?' : u);
        }
    }
}
