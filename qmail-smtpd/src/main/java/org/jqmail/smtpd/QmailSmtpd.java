package org.jqmail.smtpd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jqmail.control.Auto;
import org.jqmail.control.Qmail;
import org.jqmail.io.Bytes;
import org.jqmail.io.Fds;
import org.jqmail.io.LeanUnixSockets;
import org.jqmail.io.Main;

/**
 * qmail-smtpd: receives mail via SMTP, one connection per process, under tcpserver or any
 * ucspi-tcp server (doc/ARCHITECTURE.md §6, tcpserver mode).
 *
 * <p>Synopsis: {@code tcpserver ... qmail-smtpd}; the connection on fd 0 (read) and fd 1
 * (write), the environment of tcp-environ(5) plus RELAYCLIENT and DATABYTES. Socket or pipe
 * (tests), a watchdog thread enforces the timeouts: a read past {@code timeoutsmtpd} gets
 * qmail's timeout action (answer {@code 451 timeout (#4.4.2)}, exit 1), a blocked write
 * ends the process.
 *
 * <p>Exit status: 0 after QUIT, 1 otherwise; never interpreted by anyone. Loads no native
 * code unless {@code QMAILQUEUE} is set, and no security provider unless
 * {@code control/servercert.pem} exists (TLS, doc/TLS.md).
 *
 * <p>See also: qmail-smtpd(8), {@link Smtpd}, {@link org.jqmail.smtpd.listener.QmailSmtpdListener}.
 */
public final class QmailSmtpd {
    private QmailSmtpd() {
    }

    public static void main(String[] args) {
        Main.guard(1);
        int code = 1;
        try {
            // No cryptography here unless TLS is configured (doc/TLS.md §3): then the JDK's
            // security providers stay. Otherwise a cheap start for the socket to qmail-queued,
            // prepared on a second thread while this one reads the controls and greets.
            Auto auto = Auto.get();
            Prepare prepare = null;
            if (!Files.exists(auto.home().resolve("control").resolve(ServerTls.FILE))) {
                prepare = new Prepare();
                prepare.start();
            }
            // fd 0 and 1 are used as they are, socket or pipe: System.inheritedChannel() would
            // cost this short-lived process reflection, method-handle spinning and a socket
            // layer it does not need (tens of ms of CPU per connection, and classes that the
            // class-data archive, trained on pipes, did not hold). Deadlines are the watchdog's.
            InputStream in = Fds.in(0);
            OutputStream out = Fds.out(1);
            Conn conn = new Conn(in, out, null, new Halt(out), new Halt(null));
            code = new Smtpd(auto.home(), null, Environ.current(), java.util.List.of(args), conn, new Prepared(prepare, Queue.of(auto)),
                    new Clock()).run();
        } catch (Throwable t) {
            code = Main.failed("qmail-smtpd", t, 1);
        }
        Main.end(code);
    }

    /**
     * Ends the process with status 1, first answering {@code 451 timeout} on {@code out} if
     * given (a read past its deadline: qmail's {@code die_alarm}). Named classes rather than
     * lambdas: each lambda costs a short-lived process its linkage at start-up.
     */
    private static final class Halt implements Runnable {
        private final OutputStream out;

        Halt(OutputStream out) {
            this.out = out;
        }

        @Override
        public void run() {
            if (out != null) {
                try {
                    out.write(Bytes.ascii(Smtpd.TIMEOUT));
                } catch (IOException e) {
                    // Nobody to tell.
                }
            }
            Main.end(1);
        }
    }

    /**
     * {@link LeanUnixSockets#prepare()} off the main thread: the first Unix-domain socket's
     * set-up (the security framework's properties and its one provider, some 5-10 ms) runs on
     * the second core while the session starts, instead of before the greeting. Nothing on
     * the main thread uses the security framework or a channel before {@link Prepared} has
     * waited for it; should it fail, the socket still works, only its set-up costs more.
     */
    private static final class Prepare extends Thread {
        Prepare() {
            super("smtpd-prepare");
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                LeanUnixSockets.prepare();
            } catch (RuntimeException | LinkageError e) {
                // See above: the JDK's defaults then.
            }
        }

        void await() {
            boolean interrupted = false;
            while (isAlive()) {
                try {
                    join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The installation's queue, opened only after {@link Prepare} has finished. */
    private static final class Prepared implements Queue {
        private final Prepare prepare;
        private final Queue queue;

        Prepared(Prepare prepare, Queue queue) {
            this.prepare = prepare;
            this.queue = queue;
        }

        @Override
        public Qmail open(Map<String, String> env) throws IOException {
            if (prepare != null) {
                prepare.await();
            }
            return queue.open(env);
        }
    }

    /** Seconds since the epoch. */
    private static final class Clock implements LongSupplier {
        @Override
        public long getAsLong() {
            return System.currentTimeMillis() / 1000;
        }
    }
}
