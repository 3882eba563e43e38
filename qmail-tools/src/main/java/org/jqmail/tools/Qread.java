package org.jqmail.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import org.jqmail.control.Auto;
import org.jqmail.control.Date822;
import org.jqmail.control.QueuePaths;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;

/**
 * qmail-qread: lists the messages in the queue with their recipients (qmail-qread(8)).
 *
 * <p>Walks {@code queue/info/0..SPLIT-1} in directory order. Per message one line
 * {@code D Mon YYYY HH:MM:SS GMT  #ID  SIZE  <SENDER> [ bouncing]} (date of the info file's
 * mtime, size of the mess file), then {@code \tlocal\tADDR} / {@code \tremote\tADDR} for every
 * pending recipient and {@code   done\tlocal\tADDR} for finished ones. Bytes outside 32..126 in
 * these lines print as {@code _}. Everything, warnings included, goes to stdout.
 *
 * <p>Exit 0; 111 with {@code fatal: unable to chdir: ERR} or {@code fatal: unable to opendir
 * DIR: ERR}. A message that cannot be read gets {@code warning: trouble with #ID: ERR}.
 * Reads the queue, so it needs root or qmails.
 */
final class Qread {
    /** Bound on one info or recipient record. */
    private static final int RECORD_MAX = 64 * 1024;

    private final Path queue;
    private final QueuePaths qp;
    private final SubstdioOut out;

    Qread(Auto auto, OutputStream out) {
        this.queue = auto.queueDir();
        this.qp = new QueuePaths(auto.split());
        this.out = new SubstdioOut(out, 8192);
    }

    int run() throws IOException {
        try {
            if (!Files.readAttributes(queue, BasicFileAttributes.class).isDirectory()) {
                throw new java.nio.file.NotDirectoryException(queue.toString());
            }
        } catch (IOException e) {
            warn("fatal: unable to chdir", "", Errors.str(e));
            out.flush();
            return 111;
        }
        for (int sub = 0; sub < qp.split(); sub++) {
            String dirname = "info/" + sub;
            DirectoryStream<Path> ds;
            try {
                ds = Files.newDirectoryStream(queue.resolve(dirname));
            } catch (IOException e) {
                warn("fatal: unable to opendir ", dirname, Errors.str(e));
                out.flush();
                return 111;
            }
            try (ds) {
                for (Path p : ds) {
                    long id = Qstat.id(p.getFileName().toString());
                    if (id >= 0) {
                        message(id);
                    }
                }
            }
        }
        out.flush();
        return 0;
    }

    private void message(long id) throws IOException {
        long size;
        boolean bouncing;
        byte[] sender;
        long qtime;
        try {
            size = Files.size(queue.resolve(qp.mess(id)));
            bouncing = Files.exists(queue.resolve(QueuePaths.bounce(id)));
            Path info = queue.resolve(qp.info(id));
            try (InputStream in = Files.newInputStream(info)) {
                sender = record(new SubstdioIn(in, 1024));
            }
            qtime = Files.getLastModifiedTime(info).to(TimeUnit.SECONDS);
        } catch (IOException e) {
            warn("warning: trouble with #", Long.toUnsignedString(id), Errors.str(e));
            return;
        }
        byte[] date = Date822.fmt(qtime);
        ByteBuf stats = new ByteBuf(Integer.MAX_VALUE - 8);
        stats.append(date, 0, date.length - 7).append(" GMT  #").appendUlong(id).append("  ").appendUlong(size)
                .append("  <").append(sender.length > 0 ? Bytes.sub(sender, 1) : sender).append("> ");
        if (bouncing) {
            stats.append(" bouncing");
        }
        printable(stats.toByteArray());
        out.put('\n');
        recipients(qp.local(id), "\tlocal\t", id);
        recipients(qp.remote(id), "\tremote\t", id);
    }

    private void recipients(String file, String channel, long id) throws IOException {
        InputStream in;
        try {
            in = Files.newInputStream(queue.resolve(file));
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            warn("warning: trouble with #", Long.toUnsignedString(id), Errors.str(e));
            return;
        }
        try (in) {
            SubstdioIn ss = new SubstdioIn(in, 1024);
            for (;;) {
                ByteBuf line = new ByteBuf(RECORD_MAX);
                SubstdioIn.Line r = ss.getline(line, (byte) 0, RECORD_MAX);
                if (r != SubstdioIn.Line.LINE && r != SubstdioIn.Line.TOO_LONG) {
                    break;
                }
                if (r == SubstdioIn.Line.TOO_LONG) {
                    ss.skipLine((byte) 0);
                }
                if (line.length() == 0) {
                    continue;
                }
                byte kind = line.byteAt(0);
                if (kind == 'D') {
                    out.puts("  done");
                }
                if (kind == 'D' || kind == 'T') {
                    out.puts(channel);
                    printable(Bytes.sub(line.toByteArray(), 1));
                    out.put('\n');
                }
            }
        }
    }

    /** The first NUL-terminated record (the info file's {@code F} line), without its NUL. */
    private static byte[] record(SubstdioIn in) throws IOException {
        ByteBuf b = new ByteBuf(RECORD_MAX);
        if (in.getline(b, (byte) 0, RECORD_MAX) == SubstdioIn.Line.TOO_LONG) {
            throw new IOException("record too long");
        }
        return b.toByteArray();
    }

    private void printable(byte[] s) throws IOException {
        for (byte c : s) {
            out.put(c >= 32 && c <= 126 ? c : '_');
        }
    }

    private void warn(String s1, String s2, String err) throws IOException {
        out.puts(s1).puts(s2).puts(": ").puts(err).puts("\n");
    }
}
