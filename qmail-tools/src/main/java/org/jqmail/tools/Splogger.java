package org.jqmail.tools;

import org.jqmail.io.Fds;
import org.jqmail.io.Main;
import org.jqmail.io.Scan;

/**
 * {@code splogger [TAG [FACILITY]]}: stdin lines to syslog, one message per line (see
 * {@link Splog}); TAG defaults to {@code splogger}, FACILITY (a number) to LOG_MAIL. Exits 0 at
 * the end of input. Under daemontools, {@code multilog t ./main} is the usual alternative.
 */
public final class Splogger {
    private static final int LOG_MAIL = 2;

    private Splogger() {
    }

    public static void main(String[] a) {
        Main.guard(111);
        Main.end(Main.run("splogger", () -> {
            String tag = a.length > 0 ? a[0] : "splogger";
            long facility = LOG_MAIL;
            if (a.length > 1) {
                long[] v = new long[1];
                Scan.ulong(org.jqmail.io.Bytes.ascii(a[1]), 0, a[1].length(), v);
                facility = v[0];
            }
            try (SysLogger sink = SysLogger.start(tag, (int) (facility << 3))) {
                new Splog(sink, () -> {
                    java.time.Instant t = java.time.Instant.now();
                    return t.getEpochSecond() * 1000000 + t.getNano() / 1000;
                }).run(Fds.in(0));
            }
            return 0;
        }));
    }
}
