package org.jqmail.remote;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jqmail.control.TempFail;

/**
 * A message of unknown length made countable for QMTP, whose first netstring needs the
 * length before the bytes (doc/QMTP.md §7). qmail-rspawn's message is the queued file, whose
 * size is known, so this runs only when {@code bin/qmail-remote} is given a pipe on fd 0: up
 * to {@link #MEMORY} bytes are kept in memory, a longer message goes to a temporary file
 * (removed on {@link #close}) of at most {@link #MAX} bytes. Anything longer, or a read or
 * write error, is {@code Unable to read message.}
 */
final class Spool implements Closeable {
    static final int MEMORY = 1 << 20;
    static final long MAX = 1L << 32;

    private final InputStream in;
    private final long size;
    private final Path file;

    private Spool(InputStream in, long size, Path file) {
        this.in = in;
        this.size = size;
        this.file = file;
    }

    InputStream in() {
        return in;
    }

    long size() {
        return size;
    }

    /** Reads {@code message} to its end. */
    static Spool of(InputStream message) throws TempFail {
        return of(message, MEMORY, MAX);
    }

    static Spool of(InputStream message, int memory, long max) throws TempFail {
        byte[] head = new byte[memory];
        int n = 0;
        try {
            n = message.readNBytes(head, 0, memory);
            if (n < memory) {
                return new Spool(new ByteArrayInputStream(head, 0, n), n, null);
            }
        } catch (IOException e) {
            throw Trouble.tempRead();
        }
        Path file = null;
        try {
            file = Files.createTempFile("qmail-remote", ".qmtp");
            long size = n;
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(head, 0, n);
                byte[] buf = new byte[8192];
                for (int r; (r = message.read(buf)) >= 0;) {
                    size += r;
                    if (size > max) {
                        throw new IOException("message too long to spool");
                    }
                    out.write(buf, 0, r);
                }
            }
            return new Spool(Files.newInputStream(file), size, file);
        } catch (IOException | RuntimeException e) {
            delete(file);
            throw Trouble.tempRead();
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // A temporary file or an array: nothing to lose.
        }
        delete(file);
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Left in the temporary directory; nothing else to do.
            }
        }
    }
}
