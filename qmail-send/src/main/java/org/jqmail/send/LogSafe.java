package org.jqmail.send;

/**
 * qmail-send's {@code logsafe} (doc/PROTOCOLS.md §7): LF becomes {@code /}; every byte below 33 or
 * above 126, and {@code %}, becomes {@code _}. Like the C string it works on, the text ends at its
 * first NUL.
 */
final class LogSafe {
    private LogSafe() {
    }

    static byte[] of(byte[] s) {
        return of(s, 0, s.length);
    }

    static byte[] of(byte[] s, int off, int len) {
        int n = 0;
        while (n < len && s[off + n] != 0) {
            n++;
        }
        byte[] r = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = s[off + i] & 0xff;
            if (c == '\n') {
                c = '/';
            } else if (c < 33 || c > 126 || c == '%') {
                c = '_';
            }
            r[i] = (byte) c;
        }
        return r;
    }
}
