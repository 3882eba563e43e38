package org.jqmail.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * qmail's error vocabulary ({@code error.h}, {@code error_str.c}, {@code error_temp.c}) for
 * Java exceptions.
 *
 * <p>The JDK does not expose errno, but its exception types and the C library's
 * {@code strerror} text it embeds identify the errno; {@link #errno} recovers it, and
 * {@link #str} and {@link #isTemporary} then answer exactly as qmail would. Native calls report
 * their errno directly through {@link #str(int)} and {@link #isTemporary(int)}.
 */
public final class Errors {
    // Linux errno values (asm-generic/errno-base.h, errno.h).
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int ENOEXEC = 8;
    public static final int EBADF = 9;
    public static final int ECHILD = 10;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int ETXTBSY = 26;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int EROFS = 30;
    public static final int EMLINK = 31;
    public static final int EPIPE = 32;
    public static final int EDOM = 33;
    public static final int ERANGE = 34;
    public static final int EDEADLK = 35;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOLCK = 37;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int ENOTSOCK = 88;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ENETRESET = 102;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int ENOTCONN = 107;
    public static final int ETOOMANYREFS = 109;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTDOWN = 112;
    public static final int EHOSTUNREACH = 113;
    public static final int ESTALE = 116;
    public static final int EDQUOT = 122;
    public static final int EUSERS = 87;
    /** Not an errno: used when the cause cannot be recovered. */
    public static final int UNKNOWN = -1;

    private static final Map<Integer, String> QMAIL_TEXT = new HashMap<>();
    private static final Map<String, Integer> STRERROR = new HashMap<>();

    static {
        text(EPERM, "permission denied", "Operation not permitted");
        text(ENOENT, "file does not exist", "No such file or directory");
        text(ESRCH, "no such process", "No such process");
        text(EINTR, "interrupted system call", "Interrupted system call");
        text(EIO, "input/output error", "Input/output error");
        text(ENXIO, "device not configured", "No such device or address");
        text(E2BIG, "argument list too long", "Argument list too long");
        text(ENOEXEC, "exec format error", "Exec format error");
        text(EBADF, "file descriptor not open", "Bad file descriptor");
        text(ECHILD, "no child processes", "No child processes");
        text(EAGAIN, "temporary failure", "Resource temporarily unavailable");
        text(ENOMEM, "out of memory", "Cannot allocate memory");
        text(EACCES, "access denied", "Permission denied");
        text(EFAULT, "bad address", "Bad address");
        text(EBUSY, "device busy", "Device or resource busy");
        text(EEXIST, "file already exists", "File exists");
        text(EXDEV, "cross-device link", "Invalid cross-device link");
        text(ENODEV, "device does not support operation", "No such device");
        text(ENOTDIR, "not a directory", "Not a directory");
        text(EISDIR, "is a directory", "Is a directory");
        text(EINVAL, "invalid argument", "Invalid argument");
        text(ENFILE, "system cannot open more files", "Too many open files in system");
        text(EMFILE, "process cannot open more files", "Too many open files");
        text(ENOTTY, "not a tty", "Inappropriate ioctl for device");
        text(ETXTBSY, "text busy", "Text file busy");
        text(EFBIG, "file too big", "File too large");
        text(ENOSPC, "out of disk space", "No space left on device");
        text(ESPIPE, "unseekable descriptor", "Illegal seek");
        text(EROFS, "read-only file system", "Read-only file system");
        text(EMLINK, "too many links", "Too many links");
        text(EPIPE, "broken pipe", "Broken pipe");
        text(EDOM, "input out of range", "Numerical argument out of domain");
        text(ERANGE, "output out of range", "Numerical result out of range");
        text(EDEADLK, "operation would cause deadlock", "Resource deadlock avoided");
        text(ENAMETOOLONG, "file name too long", "File name too long");
        text(ENOLCK, "no locks available", "No locks available");
        text(ENOSYS, "system call not available", "Function not implemented");
        text(ENOTEMPTY, "directory not empty", "Directory not empty");
        text(ELOOP, "symbolic link loop", "Too many levels of symbolic links");
        text(ENOTSOCK, "not a socket", "Socket operation on non-socket");
        text(EADDRINUSE, "address already used", "Address already in use");
        text(EADDRNOTAVAIL, "address not available", "Cannot assign requested address");
        text(ENETDOWN, "network down", "Network is down");
        text(ENETUNREACH, "network unreachable", "Network is unreachable");
        text(ENETRESET, "network reset", "Network dropped connection on reset");
        text(ECONNABORTED, "connection aborted", "Software caused connection abort");
        text(ECONNRESET, "connection reset", "Connection reset by peer");
        text(ENOBUFS, "out of buffer space", "No buffer space available");
        text(ENOTCONN, "not connected", "Transport endpoint is not connected");
        text(ETOOMANYREFS, "too many references", "Too many references: cannot splice");
        text(ETIMEDOUT, "timed out", "Connection timed out");
        text(ECONNREFUSED, "connection refused", "Connection refused");
        text(EHOSTDOWN, "host down", "Host is down");
        text(EHOSTUNREACH, "host unreachable", "No route to host");
        text(ESTALE, "stale NFS file handle", "Stale file handle");
        text(EDQUOT, "disk quota exceeded", "Disk quota exceeded");
        text(EUSERS, "too many users", "Too many users");
    }

    private static void text(int errno, String qmail, String strerror) {
        QMAIL_TEXT.put(errno, qmail);
        STRERROR.put(strerror.toLowerCase(Locale.ROOT), errno);
    }

    private Errors() {
    }

    /** qmail's text for an errno ({@code error_str}); {@code unknown error} if none. */
    public static String str(int errno) {
        return QMAIL_TEXT.getOrDefault(errno, "unknown error");
    }

    /** qmail's classification of an errno ({@code error_temp}). */
    public static boolean isTemporary(int errno) {
        switch (errno) {
            case EINTR: case ENOMEM: case ETXTBSY: case EIO: case ETIMEDOUT: case EAGAIN:
            case EDEADLK: case EBUSY: case ENFILE: case EMFILE: case EFBIG: case ENOSPC:
            case ENETDOWN: case ENETUNREACH: case ENETRESET: case ECONNABORTED:
            case ECONNRESET: case ENOBUFS: case ETOOMANYREFS: case ECONNREFUSED:
            case EHOSTDOWN: case EHOSTUNREACH: case EUSERS: case EDQUOT: case ESTALE:
            case ENOLCK:
                return true;
            default:
                return false;
        }
    }

    /** The errno behind a JDK exception, or {@link #UNKNOWN}. */
    public static int errno(Throwable e) {
        if (e instanceof NativeErrno) {
            return ((NativeErrno) e).errno();
        }
        if (e instanceof NoSuchFileException) {
            return ENOENT;
        }
        if (e instanceof AccessDeniedException) {
            Integer n = fromMessage(((FileSystemException) e).getReason());
            return n != null ? n : EACCES;
        }
        if (e instanceof FileAlreadyExistsException) {
            return EEXIST;
        }
        if (e instanceof NotDirectoryException) {
            return ENOTDIR;
        }
        if (e instanceof DirectoryNotEmptyException) {
            return ENOTEMPTY;
        }
        if (e instanceof FileSystemLoopException) {
            return ELOOP;
        }
        if (e instanceof SocketTimeoutException) {
            return ETIMEDOUT;
        }
        if (e instanceof ConnectException) {
            Integer n = fromMessage(e.getMessage());
            return n != null ? n : ECONNREFUSED;
        }
        if (e instanceof NoRouteToHostException) {
            return EHOSTUNREACH;
        }
        if (e instanceof FileSystemException) {
            Integer n = fromMessage(((FileSystemException) e).getReason());
            if (n != null) {
                return n;
            }
        }
        if (e instanceof FileNotFoundException) {
            // "PATH (No such file or directory)"
            String m = e.getMessage();
            int lp = m == null ? -1 : m.lastIndexOf('(');
            if (lp >= 0 && m.endsWith(")")) {
                Integer n = fromMessage(m.substring(lp + 1, m.length() - 1));
                if (n != null) {
                    return n;
                }
            }
            return ENOENT;
        }
        Integer n = fromMessage(e.getMessage());
        return n != null ? n : UNKNOWN;
    }

    private static Integer fromMessage(String m) {
        if (m == null) {
            return null;
        }
        String k = m.toLowerCase(Locale.ROOT).trim();
        Integer n = STRERROR.get(k);
        if (n != null) {
            return n;
        }
        // Messages such as "Connection refused (Connection refused)" or "x: No space left on device".
        for (Map.Entry<String, Integer> en : STRERROR.entrySet()) {
            if (k.endsWith(en.getKey()) || k.contains("(" + en.getKey() + ")")) {
                return en.getValue();
            }
        }
        return null;
    }

    /** qmail's text for the errno behind {@code e}. */
    public static String str(Throwable e) {
        return str(errno(e));
    }

    /**
     * qmail's classification of {@code e}. An exception whose errno cannot be recovered is
     * temporary: deferring is recoverable, bouncing is not (doc/CODING.md §1).
     */
    public static boolean isTemporary(Throwable e) {
        int n = errno(e);
        return n == UNKNOWN || isTemporary(n);
    }

    /** Implemented by exceptions from native calls, which know their errno. */
    public interface NativeErrno {
        int errno();
    }

    /** An {@link IOException} from a native call, carrying its errno. */
    public static class ErrnoException extends IOException implements NativeErrno {
        private static final long serialVersionUID = 1L;
        private final int errno;

        public ErrnoException(String what, int errno) {
            super(what + ": " + str(errno));
            this.errno = errno;
        }

        @Override
        public int errno() {
            return errno;
        }
    }
}
