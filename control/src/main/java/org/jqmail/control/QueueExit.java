package org.jqmail.control;

import org.jqmail.io.Bytes;

/**
 * qmail-queue's exit codes (qmail-queue(8)) and the status strings {@code qmail.c} maps them to
 * (doc/PROTOCOLS.md §1.2). A status string is empty for success, or starts with {@code Z}
 * (temporary) or {@code D} (permanent).
 *
 * <p>Our own code names a code only through these constants; a bare number appears only where
 * the code comes from outside: a {@code $QMAILQUEUE} program's exit status, or the answer byte
 * of the queue socket, which {@link #status} maps whatever it is.
 */
public enum QueueExit {
    OK(0),
    ADDR_TOO_LONG(11),
    PERM_REFUSED(31),
    NOMEM(51),
    TIMEOUT(52),
    WRITE(53),
    READ(54),
    CONFIG(55),
    NETWORK(56),
    HOME(61),
    QUEUE_DIR(62),
    PID(63),
    MESS(64),
    INTD(65),
    TODO(66),
    TEMP_REFUSED(71),
    CONN_TIMEOUT(72),
    CONN_REFUSED(73),
    COMM(74),
    BUG(81),
    CUSTOM(82),
    ENVELOPE(91),
    EXEC(120);

    /** A code qmail.c maps as {@link #ADDR_TOO_LONG}, "for compatibility". */
    private static final int ADDR_TOO_LONG_COMPAT = 115;

    private static final QueueExit[] BY_CODE = new QueueExit[256];

    static {
        for (QueueExit e : values()) {
            BY_CODE[e.code] = e;
        }
    }

    private final int code;

    QueueExit(int code) {
        this.code = code;
    }

    /** The exit code, as a program exits with it and as the queue socket answers it. */
    public int code() {
        return code;
    }

    /** The constant for an exit code, or null for a code qmail-queue(8) does not name. */
    public static QueueExit of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** True for the permanent codes 11..40. */
    public static boolean permanent(int code) {
        return code >= 11 && code <= 40;
    }

    /**
     * {@code qmail_close}'s mapping of any exit code. {@code crashed}: the child was killed by a
     * signal; {@code writeError}: the caller failed to write the message or envelope;
     * {@code fd6}: text read from fd 6 (used only for code 82 when longer than 2 bytes).
     */
    public static String status(boolean crashed, int code, boolean writeError, byte[] fd6, int fd6len) {
        if (crashed) {
            return "Zqq crashed (#4.3.0)";
        }
        if (code == ADDR_TOO_LONG_COMPAT) {
            return "Denvelope address too long for qq (#5.1.3)";
        }
        QueueExit e = of(code);
        if (e != null) {
            switch (e) {
                case OK: return writeError ? "Zqq read error (#4.3.0)" : "";
                case ADDR_TOO_LONG: return "Denvelope address too long for qq (#5.1.3)";
                case PERM_REFUSED: return "Dmail server permanently rejected message (#5.3.0)";
                case NOMEM: return "Zqq out of memory (#4.3.0)";
                case TIMEOUT: return "Zqq timeout (#4.3.0)";
                case WRITE: return "Zqq write error or disk full (#4.3.0)";
                case READ: return "Zqq read error (#4.3.0)";
                case CONFIG: return "Zqq unable to read configuration (#4.3.0)";
                case NETWORK: return "Zqq trouble making network connection (#4.3.0)";
                case HOME: return "Zqq trouble in home directory (#4.3.0)";
                case QUEUE_DIR: case PID: case MESS: case INTD: case TODO:
                    return "Zqq trouble creating files in queue (#4.3.0)";
                case TEMP_REFUSED: return "Zmail server temporarily rejected message (#4.3.0)";
                case CONN_TIMEOUT: return "Zconnection to mail server timed out (#4.4.1)";
                case CONN_REFUSED: return "Zconnection to mail server rejected (#4.4.1)";
                case COMM: return "Zcommunication with mail server failed (#4.4.2)";
                case BUG: case ENVELOPE: return "Zqq internal bug (#4.3.0)";
                case EXEC: return "Zunable to exec qq (#4.3.0)";
                default: break; // CUSTOM: the text on fd 6, below
            }
        }
        if (e == CUSTOM && fd6 != null && fd6len > 2 && (fd6[0] == 'D' || fd6[0] == 'Z')) {
            return Bytes.str(fd6, 0, fd6len);
        }
        if (permanent(code)) {
            return "Dqq permanent problem (#5.3.0)";
        }
        return "Zqq temporary problem (#4.3.0)";
    }
}
