package org.jqmail.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.jqmail.control.LocalWorkerProtocol;
import org.jqmail.control.PermFail;
import org.jqmail.io.Bytes;

/**
 * The warm worker's loop (doc/ARCHITECTURE.md §7): read a request ({@link LocalWorkerProtocol}),
 * store its message, run exactly the standalone program's {@link Delivery} on it, answer with the
 * exit code and everything the delivery wrote to fd 1 and fd 2; repeat until end of input.
 *
 * <p>Messages up to {@link #MEMORY_MAX} bytes stay in memory; larger ones go to a temporary
 * file in {@code tmpdir} whose name is removed at once ({@link SpillMessage}). Programs get a
 * seekable temporary copy as stdin ({@link Message#programInput}).
 *
 * <p>Isolation between deliveries: each gets a fresh {@link Delivery} run, environment and
 * output buffer; only the Maildir name sequence ({@link Uniq#worker}) carries over. An
 * exception in one delivery is that delivery's 111 ({@link Trouble#internal}); a
 * {@link VirtualMachineError} is answered the same way and then ends the worker, since the
 * JVM may no longer be sound. A malformed request or a short message ends the worker with an
 * exception: the stream cannot be resynchronised.
 */
final class Worker {
    /** Messages up to this size are kept in memory. */
    static final int MEMORY_MAX = 1 << 20;
    private static final int BUF = 64 * 1024;
    private static final byte[] INTERNAL = Bytes.ascii("Unable to deliver: internal error in qmail-local. (#4.3.0)\n");
    private static final byte[] NOMEM = Bytes.ascii("Out of memory. (#4.3.0)\n");

    private final Delivery.Services svc;
    private final Map<String, String> environment;
    private final int memoryMax;

    /**
     * {@code environment}: what programs inherit (null: this JVM's environment);
     * {@code memoryMax}: the largest message kept in memory.
     */
    Worker(Delivery.Services svc, Map<String, String> environment, int memoryMax) {
        this.svc = svc;
        this.environment = environment;
        this.memoryMax = memoryMax;
    }

    /** Serves requests until a clean end of input. */
    void serve(InputStream in, OutputStream out) throws IOException {
        for (;;) {
            LocalWorkerProtocol.Request r = LocalWorkerProtocol.readRequest(in);
            if (r == null) {
                return;
            }
            VirtualMachineError fatal = null;
            LocalWorkerProtocol.Response resp;
            try {
                resp = handle(r, in);
            } catch (VirtualMachineError e) {
                fatal = e;
                resp = new LocalWorkerProtocol.Response(false, Delivery.EXIT_TEMP,
                        e instanceof OutOfMemoryError ? NOMEM : INTERNAL);
            }
            LocalWorkerProtocol.writeResponse(out, resp);
            if (fatal != null) {
                throw fatal;
            }
        }
    }

    /** Reads the request's message and delivers it. */
    private LocalWorkerProtocol.Response handle(LocalWorkerProtocol.Request r, InputStream in)
            throws IOException {
        long len = r.messageLength();
        if (len <= memoryMax) {
            byte[] b = new byte[(int) len];
            if (in.readNBytes(b, 0, b.length) != len) {
                throw new java.io.EOFException("worker protocol: short message");
            }
            return deliver(r.args(), new MemoryMessage(b));
        }
        SpillMessage spill;
        try {
            spill = spill(in, len);
        } catch (SpillFailure e) {
            BufferOutput o = new BufferOutput(LocalWorkerProtocol.OUTPUT_MAX);
            o.err(Bytes.concat(Trouble.read(e.getCause()).text(), new byte[] {'\n'}));
            return new LocalWorkerProtocol.Response(false, Delivery.EXIT_TEMP, o.bytes());
        }
        try (SpillMessage m = spill) {
            return deliver(r.args(), m);
        }
    }

    /** One delivery, as the standalone program would make it. */
    LocalWorkerProtocol.Response deliver(List<byte[]> args, Message msg) {
        BufferOutput o = new BufferOutput(LocalWorkerProtocol.OUTPUT_MAX);
        int code;
        try {
            code = new Delivery(svc).run(Args.delivery(args), msg, environment, o);
        } catch (PermFail f) {
            o.err(Bytes.concat(f.text(), new byte[] {'\n'}));
            code = f.exitCode();
        } catch (RuntimeException e) {
            o.err(INTERNAL);
            code = Delivery.EXIT_TEMP;
        }
        return new LocalWorkerProtocol.Response(false, code, o.bytes());
    }

    /** Thrown when the message could not be stored; the input has been consumed regardless. */
    private static final class SpillFailure extends Exception {
        private static final long serialVersionUID = 1L;

        SpillFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /**
     * Copies exactly {@code len} bytes of {@code in} into an unlinked temporary file. If the
     * file cannot be written the rest is still read, so the next request starts in step.
     */
    private SpillMessage spill(InputStream in, long len) throws IOException, SpillFailure {
        FileChannel ch = null;
        IOException failure = null;
        try {
            Path f = Files.createTempFile(svc.tmpdir(), "qmail-local", ".msg");
            try {
                ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            failure = e;
        }
        byte[] b = new byte[BUF];
        long left = len;
        while (left > 0) {
            int n = in.read(b, 0, (int) Math.min(b.length, left));
            if (n < 0) {
                close(ch);
                throw new java.io.EOFException("worker protocol: short message");
            }
            left -= n;
            if (failure == null) {
                try {
                    ByteBuffer bb = ByteBuffer.wrap(b, 0, n);
                    while (bb.hasRemaining()) {
                        ch.write(bb);
                    }
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            close(ch);
            throw new SpillFailure(failure);
        }
        return new SpillMessage(ch);
    }

    private static void close(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // Unlinked already: closing frees it.
            }
        }
    }
}
