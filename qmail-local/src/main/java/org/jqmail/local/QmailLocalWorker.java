package org.jqmail.local;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Paths;
import org.jqmail.control.QueueClient;
import org.jqmail.io.HeapTrim;
import org.jqmail.io.Main;

/**
 * qmail-local-worker: a warm qmail-local for qmail-lspawn (doc/ARCHITECTURE.md §7). It makes one
 * delivery per request, each exactly as
 * {@code qmail-local -- user homedir local dash ext domain sender defaultdelivery} would with the
 * request's message on fd 0, and answers with that run's exit code and fd 1/fd 2 output.
 *
 * <p>Synopsis: {@code qmail-local-worker}, started by qmail-lspawn already running as the one
 * uid and gid it will ever deliver for. fd 0: requests; fd 1: responses
 * ({@code control}'s {@code LocalWorkerProtocol}); fd 2: not written. Nothing else may write
 * fd 1: programs' output is collected through pipes.
 *
 * <p>Exit codes: 0 at a clean end of input between requests; 111 on a broken request stream or
 * any unexpected throwable (qmail-lspawn then reports the delivery in progress, if any, as
 * crashed and starts a new worker).
 *
 * <p>Maildir names are {@code TIME.PID_SEQ.HOST} ({@link Uniq}). Temporary files (spilled
 * messages, program stdin) go to {@code java.io.tmpdir}, mode 0600, and are unlinked as soon as
 * they are opened.
 */
public final class QmailLocalWorker {
    private static final int TEMP = Delivery.EXIT_TEMP;

    private QmailLocalWorker() {
    }

    public static void main(String[] args) {
        Main.guard(TEMP);
        HeapTrim.start();
        int code;
        try {
            Sys sys = Sys.REAL;
            Delivery.Services svc = new Delivery.Services(sys, Uniq.worker(sys), QueueClient.opener(),
                    Paths.get(System.getProperty("java.io.tmpdir")));
            new Worker(svc, null, Worker.MEMORY_MAX).serve(new BufferedInputStream(new FileInputStream(FileDescriptor.in), 65536),
                    new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 65536));
            code = 0;
        } catch (Throwable t) {
            code = Main.failed("qmail-local-worker", t, TEMP);
        }
        Main.end(code);
    }
}
