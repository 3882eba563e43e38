package org.jqmail.io;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams on the inherited file descriptors 0..6, which qmail programs use by number: the
 * message on 0, qmail-queue's envelope read from 1, qmail-send's spawn and clean pipes on
 * 1..6, the error channel on 6.
 *
 * <p>Descriptors 0..2 use the JVM's own {@link FileDescriptor}s (fd 1 may be read, as
 * qmail-queue does). Higher descriptors are reopened through {@code /dev/fd/N}, which works
 * for pipes, FIFOs and regular files but not for sockets. Nothing here loads native code.
 */
public final class Fds {
    private Fds() {
    }

    /**
     * An unbuffered stream reading descriptor {@code fd}. Safe on pipes: its
     * {@code readAllBytes}, {@code readNBytes} and {@code skip} never seek ({@link FdInputStream}).
     */
    public static InputStream in(int fd) throws FileNotFoundException {
        switch (fd) {
            case 0:
                return new FdInputStream(new FileInputStream(FileDescriptor.in));
            case 1:
                return new FdInputStream(new FileInputStream(FileDescriptor.out));
            case 2:
                return new FdInputStream(new FileInputStream(FileDescriptor.err));
            default:
                return new FdInputStream(new FileInputStream(devFd(fd)));
        }
    }

    /** An unbuffered stream writing descriptor {@code fd}. */
    public static OutputStream out(int fd) throws FileNotFoundException {
        switch (fd) {
            case 0:
                return new FileOutputStream(FileDescriptor.in);
            case 1:
                return new FileOutputStream(FileDescriptor.out);
            case 2:
                return new FileOutputStream(FileDescriptor.err);
            default:
                return new FileOutputStream(devFd(fd));
        }
    }

    /** The path that reopens descriptor {@code fd} of this process. */
    public static String devFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd " + fd);
        }
        return "/dev/fd/" + fd;
    }

    /** True if descriptor {@code fd} is open in this process. */
    public static boolean isOpen(int fd) {
        if (fd >= 0 && fd <= 2) {
            return true;
        }
        return new java.io.File("/proc/self/fd/" + fd).exists();
    }
}
