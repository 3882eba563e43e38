package org.jqmail.io;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The one place that writes a program's stdout and stderr directly. Programs print their
 * fatal messages ({@code qmail-newu: fatal: ...}) and their tool output through here, never
 * through {@code System.out}, so that the bytes are exactly what they wrote.
 */
public final class Out {
    private static final OutputStream STDOUT = new FileOutputStream(FileDescriptor.out);
    private static final OutputStream STDERR = new FileOutputStream(FileDescriptor.err);

    private Out() {
    }

    public static OutputStream stdout() {
        return STDOUT;
    }

    public static OutputStream stderr() {
        return STDERR;
    }

    /** Writes ASCII text to stderr in one write call; errors are ignored, as qmail's are. */
    public static void err(String ascii) {
        try {
            STDERR.write(Bytes.ascii(ascii));
        } catch (IOException e) {
            // Nowhere left to report it.
        }
    }

    /** Writes bytes to stdout in one write call; returns false on error. */
    public static boolean out(byte[] b) {
        try {
            STDOUT.write(b);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
