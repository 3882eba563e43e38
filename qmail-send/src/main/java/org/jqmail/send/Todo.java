package org.jqmail.send;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Fsync;
import org.jqmail.io.Scan;
import org.jqmail.io.SubstdioIn;

/**
 * Preprocessing of {@code todo/} (spec §3.4, {@code todo_*}): a scan starts when the trigger
 * was pulled or every 1500 s, and each main-loop turn handles one entry: it writes
 * {@code info/S/N} and the {@code local}/{@code remote} recipient files (rewritten, §3.5),
 * logs {@code new msg} and {@code info msg}, has qmail-clean remove {@code todo/N} and
 * {@code intd/N}, and schedules the message.
 */
final class Todo {
    private final QueueFiles files;
    private final Controls ctl;
    private final Log log;
    private final Clean clean;
    private final Schedule pq;
    private final SendState st;
    private final Trigger trigger;
    private long nexttodorun;
    private DirectoryStream<Path> dir;
    private Iterator<Path> it;
    private final ByteBuf rec = new ByteBuf(QueueFiles.RECORD_MAX);

    Todo(QueueFiles files, Controls ctl, Log log, Clean clean, Schedule pq, SendState st,
         Trigger trigger) {
        this.files = files;
        this.ctl = ctl;
        this.log = log;
        this.clean = clean;
        this.pq = pq;
        this.st = st;
        this.trigger = trigger;
        this.nexttodorun = st.now();
        trigger.set();
    }

    /** {@code todo_selprep}. */
    long selprep(long wakeup) {
        if (st.exitasap) {
            return wakeup;
        }
        if (dir != null) {
            return 0;
        }
        return Math.min(wakeup, nexttodorun);
    }

    /** {@code todo_do}: starts a scan if due, then handles one directory entry. */
    void run() {
        if (st.exitasap) {
            return;
        }
        if (dir == null) {
            if (!trigger.pulled() && st.recent < nexttodorun) {
                return;
            }
            trigger.set();
            try {
                dir = Files.newDirectoryStream(files.path("todo"));
                it = dir.iterator();
            } catch (IOException e) {
                ReadSubdir.pausedir(log, st.clock, "todo");
                return;
            }
            nexttodorun = st.recent + SendState.SLEEP_TODO;
        }
        if (!it.hasNext()) {
            try {
                dir.close();
            } catch (IOException e) {
                // closedir errors are of no interest.
            }
            dir = null;
            it = null;
            return;
        }
        long id = ReadSubdir.scanId(it.next().getFileName().toString());
        if (id >= 0) {
            preprocess(id);
        }
    }

    /** Preprocesses {@code todo/id}; on any trouble logs and leaves it for the next scan. */
    void preprocess(long id) {
        String todo = QueueFiles.todo(id);
        InputStream in;
        try {
            in = files.openRead(todo);
        } catch (IOException e) {
            log.line("warning: unable to open ", todo);
            return;
        }
        FileChannel[] chan = new FileChannel[2];
        FileChannel info = null;
        try (InputStream closeIn = in) {
            String fn = files.mess(id);
            BasicFileAttributes mess;
            try {
                mess = Files.readAttributes(files.path(fn), BasicFileAttributes.class);
            } catch (IOException e) {
                log.line("warning: unable to stat ", fn);
                return;
            }
            for (int c = 0; c < 2; c++) {
                if (!unlink(files.chan(id, c))) {
                    return;
                }
            }
            fn = files.info(id);
            if (!unlink(fn)) {
                return;
            }
            try {
                info = files.createExcl(fn);
            } catch (IOException e) {
                log.line("warning: unable to create ", fn);
                return;
            }
            log.line("new msg ", id);
            if (!records(id, in, info, chan, mess.size())) {
                return;
            }
            if (!sync(id, info, chan)) {
                return;
            }
        } catch (IOException e) {
            log.line("warning: trouble reading ", todo);
            return;
        } finally {
            closeAll(info, chan);
        }
        if (!clean.request(todo)) {
            return;
        }
        long now = st.now();
        for (int c = 0; c < 2; c++) {
            if (chan[c] != null) {
                pq.chan[c].insert(id, now);
            }
        }
        if (chan[0] == null && chan[1] == null) {
            pq.done.insert(id, now);
        }
    }

    private boolean unlink(String fn) {
        try {
            files.unlinkIfExists(fn);
            return true;
        } catch (IOException e) {
            log.line("warning: unable to unlink ", fn);
            return false;
        }
    }

    /** Copies the todo records; false after logging trouble. */
    private boolean records(long id, InputStream in, FileChannel info, FileChannel[] chan, long size)
            throws IOException {
        SubstdioIn ss = new SubstdioIn(in, 4096);
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
                    log.line("info msg ", id, ": bytes ", size, " from <", Log.safe(body), "> qp ",
                            pid, " uid ", uid);
                    break;
                case 'T':
                    Rewrite.Result rw = Rewrite.rewrite(body, ctl);
                    int c = rw.channel();
                    String fn = files.chan(id, c);
                    if (chan[c] == null) {
                        try {
                            chan[c] = files.createExcl(fn);
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

    private boolean write(FileChannel ch, String fn, byte[] b) {
        try {
            QueueFiles.writeFully(ch, b, 0, b.length);
            return true;
        } catch (IOException e) {
            log.line("warning: trouble writing to ", fn);
            return false;
        }
    }

    /**
     * fsyncs info and the channel files at once (one journal commit rather than one per file,
     * see {@link Fsync}); logs qmail's warning for the first that failed, in qmail's order.
     */
    private boolean sync(long id, FileChannel info, FileChannel[] chan) {
        FileChannel[] all = {info, chan[0], chan[1]};
        String[] fn = {files.info(id), files.chan(id, 0), files.chan(id, 1)};
        int n = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] != null) {
                all[n] = all[i];
                fn[n++] = fn[i];
            }
        }
        IOException[] fail = Fsync.forceAll(java.util.Arrays.copyOf(all, n));
        for (int i = 0; i < n; i++) {
            if (fail[i] != null) {
                log.line("warning: trouble fsyncing ", fn[i]);
                return false;
            }
        }
        return true;
    }

    private static void closeAll(FileChannel info, FileChannel[] chan) {
        for (FileChannel f : new FileChannel[] {info, chan[0], chan[1]}) {
            if (f != null) {
                try {
                    f.close();
                } catch (IOException e) {
                    // Data was fsynced before this point, or the entry is abandoned anyway.
                }
            }
        }
    }

    /** A channel file's 1024-byte write buffer of {@code T}addr{@code \0} records. */
    private static final class ChanOut {
        private final FileChannel ch;
        private final ByteBuf buf = new ByteBuf(1024, Integer.MAX_VALUE - 16);

        ChanOut(FileChannel ch) {
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
                QueueFiles.writeFully(ch, buf.array(), 0, buf.length());
                buf.clear();
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }
}
