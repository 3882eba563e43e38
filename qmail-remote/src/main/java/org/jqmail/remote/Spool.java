package org.jqmail.remote;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jqmail.control.TempFail;

/**
 * A message of unknown length made countable for QMTP, whose first netstring needs the
 * length before the bytes (doc/QMTP.md §7). qmail-rspawn's message is the queued file, whose
 * size is known, so this runs only when {@code bin/qmail-remote} is given a pipe on fd 0: up
 * to {@link #MEMORY} bytes are kept in memory, a longer message goes to a temporary file of at
 * most {@link #MAX} bytes. Anything longer, or a read or write error, is
 * {@code Unable to read message.} The file is unlinked as soon as it is open, so nothing is
 * left behind even if the process dies.
 */
final class Spool implements Closeable {
    static final int MEMORY = 1 << 20;
    static final long MAX = 1L << 32;

    private final InputStream in;
    private final long size;

    private Spool(InputStream in, long size) {
        this.in = in;
        this.size = size;
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
                return new Spool(new ByteArrayInputStream(head, 0, n), n);
            }
        } catch (IOException e) {
            throw Trouble.tempRead();
        }
        FileChannel file = null;
        try {
            Path p = Files.createTempFile("qmail-remote", ".qmtp");
            try {
                file = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.DELETE_ON_CLOSE);
            } finally {
                Files.deleteIfExists(p);
            }
            long size = n;
            write(file, head, n);
            byte[] buf = new byte[8192];
            for (int r; (r = message.read(buf)) >= 0;) {
                size += r;
                if (size > max) {
                    throw new IOException("message too long to spool");
                }
                write(file, buf, r);
            }
            file.position(0);
            return new Spool(Channels.newInputStream(file), size);
        } catch (IOException | RuntimeException e) {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException e2) {
                    // Unlinked already: nothing is left behind.
                }
            }
            throw Trouble.tempRead();
        }
    }

    private static void write(FileChannel file, byte[] b, int n) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, 0, n);
        while (bb.hasRemaining()) {
            file.write(bb);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // A temporary file or an array: nothing to lose.
        }
    }
}
