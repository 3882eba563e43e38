package org.jqmail.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import org.jqmail.io.Spawn;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.WaitStatus;

/**
 * {@code $QMAILQUEUE}: a child with the message on fd 0, the envelope on fd 1 and the error
 * channel on fd 6, as qmail's {@code qmail.c} runs qmail-queue. The only queue path that loads
 * native code (posix_spawn with an fd map).
 */
final class QueueExec implements QueueSink {
    private final Spawn child;
    private OutputStream msg;
    private final OutputStream env;
    private final InputStream err;

    private QueueExec(Spawn child) {
        this.child = child;
        this.msg = child.to(0);
        this.env = child.to(1);
        this.err = child.from(6);
    }

    static QueueExec start(Path home, String prog, List<String> env) throws IOException {
        String path = prog.startsWith("/") ? prog : home.resolve(prog).toString();
        // fd 2 is shared and nothing else leaks into the child; qmail.c also runs it from
        // QMAILHOME. A null env inherits this process's environment.
        return new QueueExec(new Spawn(Nat.posix(), path, List.of(prog))
                .pipeTo(0).pipeTo(1).inherit(2, 2).pipeFrom(6)
                .env(env)
                .cwd(home.toString())
                .start());
    }

    @Override
    public void message(byte[] b, int off, int n) throws IOException {
        msg.write(b, off, n);
    }

    @Override
    public void flush() throws IOException {
        if (msg != null) {
            msg.flush();
        }
    }

    @Override
    public void endMessage() throws IOException {
        OutputStream m = msg;
        msg = null;
        m.close();
    }

    @Override
    public void envelope(byte[] rec) throws IOException {
        env.write(rec);
    }

    @Override
    public Result finish(boolean abandon, boolean clean) {
        closeQuietly(msg);
        closeQuietly(env);
        byte[] text = new byte[QueueProtocol.TEXT_MAX];
        int n = 0;
        try {
            int r;
            while (n < text.length && (r = err.read(text, n, text.length - n)) > 0) {
                n += r;
            }
        } catch (IOException e) {
            // As qmail.c: the error channel is optional.
        }
        closeQuietly(err);
        try {
            WaitStatus ws = child.waitFor();
            return new Result(!ws.exited(), ws.exited() ? ws.exitCode() : 0, child.pid(),
                    java.util.Arrays.copyOf(text, n));
        } catch (IOException e) {
            return new Result(false, QueueExit.BUG.code(), child.pid(), null);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // Nothing to do: the exit code tells.
            }
        }
    }
}
