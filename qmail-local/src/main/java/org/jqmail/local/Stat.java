package org.jqmail.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code stat(2)}'s {@code st_mode}, with the file type and the sticky bit that
 * {@code PosixFilePermission} leaves out. Follows symbolic links, as stat does.
 */
final class Stat {
    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFIFO = 0010000;
    static final int S_IFSOCK = 0140000;
    static final int S_ISVTX = 01000;
    static final int S_IXUSR = 0100;

    private Stat() {
    }

    /** The mode of {@code p}; the exception tells the errno ({@link org.jqmail.io.Errors#errno}). */
    static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode");
    }

    static boolean isReg(int mode) {
        return (mode & S_IFMT) == S_IFREG;
    }

    static boolean isDir(int mode) {
        return (mode & S_IFMT) == S_IFDIR;
    }

    static boolean isFifo(int mode) {
        return (mode & S_IFMT) == S_IFIFO;
    }
}
