package org.jqmail.send;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;

/**
 * The delivery slots of both channels ({@code del_*}, doc/PROTOCOLS.md §3): starting a delivery
 * (the spawn command and its log lines), and reading the spawns' reports, logging them,
 * marking records done and recording bounces.
 */
final class Deliveries {
    static final int REPORTMAX = 10000;
    private static final String[] TOCHAN = {" to local ", " to remote "};
    private static final byte[] D = {'D'};
    private static final byte[] TOO_LONG = Bytes.ascii(
            "I'm not going to try again; this message has been in the queue too long.\n");

    private static final class Del {
        boolean used;
        int j;
        long delid;
        long mpos;
        byte[] recip;
    }

    final int[] concurrency;
    final int[] used = new int[2];
    final boolean[] alive = {true, true};
    private final Del[][] d = new Del[2][];
    private long masterdelid = 1;
    private final byte[][] dline = new byte[2][REPORTMAX + TOO_LONG.length + 2];
    private final int[] dlen = new int[2];

    private final QueueFiles files;
    private final Log log;
    private final Jobs jobs;
    private final Comm comm;
    private final Bounce bounce;
    private final SendState st;

    Deliveries(int[] concurrency, QueueFiles files, Log log, Jobs jobs, Comm comm, Bounce bounce,
               SendState st) {
        this.concurrency = concurrency;
        for (int c = 0; c < 2; c++) {
            d[c] = new Del[concurrency[c]];
            for (int i = 0; i < concurrency[c]; i++) {
                d[c][i] = new Del();
            }
        }
        this.files = files;
        this.log = log;
        this.jobs = jobs;
        this.comm = comm;
        this.bounce = bounce;
        this.st = st;
    }

    /** {@code del_status}. */
    void status() {
        log.line("status: local ", used[0], "/", concurrency[0], " remote ", used[1], "/",
                concurrency[1], st.exitasap ? " exitasap" : "");
    }

    /** {@code del_canexit}: no delivery is running on a live channel. */
    boolean canExit() {
        for (int c = 0; c < 2; c++) {
            if (alive[c] && used[c] > 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code del_avail}. */
    boolean avail(int c) {
        return alive[c] && comm.canWrite(c) && used[c] < concurrency[c];
    }

    /** {@code spawndied}. */
    void spawnDied(int c) {
        log.line("alert: oh no! lost spawn connection! dying...");
        alive[c] = false;
        st.exitasap = true;
    }

    /** {@code del_start}: starts delivering the record at {@code mpos} of job {@code j}. */
    void start(int j, long mpos, byte[] recip) {
        Jobs.Job job = jobs.jo[j];
        int c = job.channel;
        if (!alive[c] || !comm.canWrite(c)) {
            return;
        }
        int i = 0;
        while (i < concurrency[c] && d[c][i].used) {
            i++;
        }
        if (i == concurrency[c]) {
            return;
        }
        Del x = d[c][i];
        x.recip = recip;
        x.j = j;
        job.refs++;
        x.delid = masterdelid++;
        x.mpos = mpos;
        x.used = true;
        used[c]++;
        comm.write(c, command(i, files.messfile(job.id), Rewrite.verp(job.sender, recip), recip));
        log.line("starting delivery ", x.delid, ": msg ", job.id, TOCHAN[c], Log.safe(recip));
        status();
    }

    static byte[] command(int slot, String messfile, byte[] sender, byte[] recip) {
        ByteBuf b = new ByteBuf(messfile.length() + sender.length + recip.length + 8);
        b.append(slot).append(messfile).append(0).append(sender).append(0).append(recip).append(0);
        return b.toByteArray();
    }

    /**
     * {@code markdone}: overwrites the record's {@code T} with {@code D}, through the job's open
     * channel file when it has one (qmail opens the file for each record).
     */
    void markdone(int c, Jobs.Job job, long pos) {
        String fn = files.chan(job.id, c);
        try {
            if (job.chan != null) {
                if (job.chan.write(ByteBuffer.wrap(D), pos) == 1) {
                    return;
                }
            } else {
                try (FileChannel ch = FileChannel.open(files.path(fn), StandardOpenOption.WRITE)) {
                    if (ch.write(ByteBuffer.wrap(D), pos) == 1) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // Logged below, as qmail does for every failure here.
        }
        log.line("warning: trouble marking ", fn, "; message will be delivered twice!");
    }

    /** {@code del_dochan}: consumes report bytes from channel {@code c}'s spawn. */
    void reports(int c, byte[] buf, int r) {
        byte[] line = dline[c];
        for (int i = 0; i < r; i++) {
            byte ch = buf[i];
            line[dlen[c]++] = ch;
            if (dlen[c] > REPORTMAX) {
                dlen[c] = REPORTMAX;
            }
            if (ch == 0 && dlen[c] > 1) {
                one(c);
                dlen[c] = 0;
            }
        }
    }

    private void one(int c) {
        byte[] line = dline[c];
        int delnum = line[0] & 0xff;
        if (delnum >= concurrency[c] || !d[c][delnum].used) {
            log.line("warning: internal error: delivery report out of range");
            return;
        }
        Del x = d[c][delnum];
        Jobs.Job job = jobs.jo[x.j];
        if (line[1] == 'Z' && job.dying) {
            line[1] = 'D';
            dlen[c]--;
            System.arraycopy(TOO_LONG, 0, line, dlen[c], TOO_LONG.length);
            dlen[c] += TOO_LONG.length;
            line[dlen[c]++] = 0;
        }
        byte[] text = Arrays.copyOfRange(line, 2, Math.max(2, dlen[c]));
        switch (line[1]) {
            case 'K':
                log.line("delivery ", x.delid, ": success: ", Log.safe(text));
                markdone(c, job, x.mpos);
                job.numtodo--;
                break;
            case 'Z':
                log.line("delivery ", x.delid, ": deferral: ", Log.safe(text));
                break;
            case 'D':
                log.line("delivery ", x.delid, ": failure: ", Log.safe(text));
                bounce.add(job.id, x.recip, cstr(text));
                markdone(c, job, x.mpos);
                job.numtodo--;
                break;
            default:
                log.line("delivery ", x.delid, ": report mangled, will defer");
        }
        jobs.close(x.j);
        x.used = false;
        used[c]--;
        status();
    }

    /** The bytes before the first NUL. */
    static byte[] cstr(byte[] s) {
        int n = Bytes.indexOf(s, 0);
        return n < 0 ? s : Arrays.copyOf(s, n);
    }
}
