package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Scan;
import org.jqmail.io.SubstdioIn;

/**
 * The record copying of todo preprocessing (doc/QUEUE.md §3, part of {@code todo_do}): reads
 * the {@code u}, {@code p}, {@code F} and {@code T} records of {@code todo/N}, writes the sender
 * record to {@code info/S/N} and each rewritten recipient to {@code local/S/N} or
 * {@code remote/S/N}, creating those on first use, and logs {@code info msg}. Nothing is fsynced
 * here; {@link Todo} does that.
 */
final class TodoRecords {
    private final QueueFiles files;
    private final Controls ctl;
    private final Log log;
    private final ByteBuf rec = new ByteBuf(QueueFiles.RECORD_MAX);
    /** The first sender record of the last {@link #copy} (what getinfo will read), or null. */
    private byte[] sender;

    TodoRecords(QueueFiles files, Controls ctl, Log log) {
        this.files = files;
        this.ctl = ctl;
        this.log = log;
    }

    /** Copies the todo records; false after logging trouble. */
    boolean copy(long id, InputStream in, Spares.Out info, Spares.Out[] chan, long size)
            throws IOException {
        SubstdioIn ss = new SubstdioIn(in, 4096);
        sender = null;
        ChanOut[] out = new ChanOut[2];
        long uid = 0;
        long pid = 0;
        long[] v = new long[1];
        for (;;) {
            SubstdioIn.Line r = ss.getline(rec.clear(), (byte) 0, QueueFiles.RECORD_MAX);
            if (r == SubstdioIn.Line.TOO_LONG) {
                throw new IOException("record too long");
            }
            if (r != SubstdioIn.Line.LINE) {
                break;
            }
            byte t = rec.length() == 0 ? 0 : rec.byteAt(0);
            byte[] body = java.util.Arrays.copyOfRange(rec.array(), 1, Math.max(1, rec.length()));
            switch (t) {
                case 'u':
                    Scan.ulong(body, 0, body.length, v);
                    uid = v[0];
                    break;
                case 'p':
                    Scan.ulong(body, 0, body.length, v);
                    pid = v[0];
                    break;
                case 'F':
                    if (!write(info, files.info(id), rec.append(0).toByteArray())) {
                        return false;
                    }
                    if (sender == null) {
                        sender = body;
                    }
                    log.line("info msg ", id, ": bytes ", size, " from <", Log.safe(body), "> qp ",
                            pid, " uid ", uid);
                    break;
                case 'T':
                    Rewrite.Result rw = Rewrite.rewrite(body, ctl);
                    int c = rw.channel();
                    String fn = files.chan(id, c);
                    if (chan[c] == null) {
                        try {
                            chan[c] = files.spares().createExcl(fn);
                        } catch (IOException e) {
                            log.line("warning: unable to create ", fn);
                            return false;
                        }
                        out[c] = new ChanOut(chan[c]);
                    }
                    if (!out[c].put(rw.addr())) {
                        log.line("warning: trouble writing to ", fn);
                        return false;
                    }
                    break;
                default:
                    log.line("warning: unknown record type in ", QueueFiles.todo(id));
                    return false;
            }
        }
        for (int c = 0; c < 2; c++) {
            if (out[c] != null && !out[c].flush()) {
                log.line("warning: trouble writing to ", files.chan(id, c));
                return false;
            }
        }
        return true;
    }

    /** The sender that the last successful {@link #copy} wrote to {@code info/S/N}, or null. */
    byte[] sender() {
        return sender;
    }

    private boolean write(Spares.Out ch, String fn, byte[] b) {
        try {
            Spares.write(ch, b, 0, b.length);
            return true;
        } catch (IOException e) {
            log.line("warning: trouble writing to ", fn);
            return false;
        }
    }

    /** A channel file's 1024-byte write buffer of {@code T}addr{@code \0} records. */
    private static final class ChanOut {
        private final Spares.Out ch;
        private final ByteBuf buf = new ByteBuf(1024, Integer.MAX_VALUE - 16);

        ChanOut(Spares.Out ch) {
            this.ch = ch;
        }

        boolean put(byte[] addr) {
            try {
                buf.append('T').append(addr).append(0);
                if (buf.length() >= 1024) {
                    return flush();
                }
                return true;
            } catch (ByteBuf.Overflow e) {
                return false;
            }
        }

        boolean flush() {
            try {
                Spares.write(ch, buf.array(), 0, buf.length());
                buf.clear();
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
