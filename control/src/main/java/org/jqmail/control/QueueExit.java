package org.jqmail.control;

/**
 * qmail-queue's exit codes (qmail-queue(8)) and the status strings {@code qmail.c} maps them to
 * (doc/PROTOCOLS.md §1.2). A status string is empty for success, or starts with {@code Z}
 * (temporary) or {@code D} (permanent).
 */
public final class QueueExit {
    public static final int OK = 0;
    public static final int ADDR_TOO_LONG = 11;
    public static final int PERM_REFUSED = 31;
    public static final int NOMEM = 51;
    public static final int TIMEOUT = 52;
    public static final int WRITE = 53;
    public static final int READ = 54;
    public static final int CONFIG = 55;
    public static final int NETWORK = 56;
    public static final int HOME = 61;
    public static final int QUEUE_DIR = 62;
    public static final int PID = 63;
    public static final int MESS = 64;
    public static final int INTD = 65;
    public static final int TODO = 66;
    public static final int TEMP_REFUSED = 71;
    public static final int CONN_TIMEOUT = 72;
    public static final int CONN_REFUSED = 73;
    public static final int COMM = 74;
    public static final int BUG = 81;
    public static final int CUSTOM = 82;
    public static final int ENVELOPE = 91;
    public static final int EXEC = 120;

    private QueueExit() {
    }

    /** True for the permanent codes 11..40. */
    public static boolean permanent(int code) {
        return code >= 11 && code <= 40;
    }

    /**
     * {@code qmail_close}'s mapping. {@code crashed}: the child was killed by a signal;
     * {@code writeError}: the caller failed to write the message or envelope;
     * {@code fd6}: text read from fd 6 (used only for code 82 when longer than 2 bytes).
     */
    public static String status(boolean crashed, int code, boolean writeError, byte[] fd6, int fd6len) {
        if (crashed) {
            return "Zqq crashed (#4.3.0)";
        }
        switch (code) {
            case 0:
                return writeError ? "Zqq read error (#4.3.0)" : "";
            case 115:
            case 11: return "Denvelope address too long for qq (#5.1.3)";
            case 31: return "Dmail server permanently rejected message (#5.3.0)";
            case 51: return "Zqq out of memory (#4.3.0)";
            case 52: return "Zqq timeout (#4.3.0)";
            case 53: return "Zqq write error or disk full (#4.3.0)";
            case 54: return "Zqq read error (#4.3.0)";
            case 55: return "Zqq unable to read configuration (#4.3.0)";
            case 56: return "Zqq trouble making network connection (#4.3.0)";
            case 61: return "Zqq trouble in home directory (#4.3.0)";
            case 62: case 63: case 64: case 65: case 66:
                return "Zqq trouble creating files in queue (#4.3.0)";
            case 71: return "Zmail server temporarily rejected message (#4.3.0)";
            case 72: return "Zconnection to mail server timed out (#4.4.1)";
            case 73: return "Zconnection to mail server rejected (#4.4.1)";
            case 74: return "Zcommunication with mail server failed (#4.4.2)";
            case 81: case 91: return "Zqq internal bug (#4.3.0)";
            case 120: return "Zunable to exec qq (#4.3.0)";
            default:
                if (code == 82 && fd6 != null && fd6len > 2 && (fd6[0] == 'D' || fd6[0] == 'Z')) {
                    return org.jqmail.io.Bytes.str(fd6, 0, fd6len);
                }
                if (code >= 11 && code <= 40) {
                    return "Dqq permanent problem (#5.3.0)";
                }
                return "Zqq temporary problem (#4.3.0)";
        }
    }
}
