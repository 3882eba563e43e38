package org.jqmail.control;

import org.jqmail.io.ByteBuf;

/**
 * The dates qmail writes, all in UTC (spec §0.4): {@code date822fmt}, the mbox From_ line's
 * {@code myctime}, and the time stamp of a Message-ID.
 *
 * <p>Computed with integer arithmetic into bytes: short-lived programs (qmail-smtpd's Received
 * line, qmail-inject's Date) then load neither {@code java.time} nor the string-concatenation
 * bootstrap, which together cost tens of milliseconds of start-up.
 */
public final class Date822 {
    private static final String[] MON = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
        "Sep", "Oct", "Nov", "Dec"};
    private static final String[] DAY = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    private Date822() {
    }

    /** Broken-down UTC time: year, month 1..12, day, hour, minute, second, weekday 0=Monday. */
    private static long[] utc(long epochSeconds) {
        long days = Math.floorDiv(epochSeconds, 86400);
        long secs = Math.floorMod(epochSeconds, 86400);
        // Civil date from a day count (the proleptic Gregorian algorithm of H. Hinnant).
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        return new long[] {y, m, d, secs / 3600, secs / 60 % 60, secs % 60, Math.floorMod(days + 3, 7)};
    }

    private static ByteBuf two(ByteBuf b, long v) {
        if (v < 10) {
            b.append('0');
        }
        return b.appendUlong(v);
    }

    private static ByteBuf time(ByteBuf b, long[] t) {
        two(b, t[3]).append(':');
        two(b, t[4]).append(':');
        return two(b, t[5]);
    }

    /** {@code date822fmt}: {@code 6 Sep 1995 04:46:54 -0000} followed by LF. */
    public static byte[] fmt(long epochSeconds) {
        long[] t = utc(epochSeconds);
        ByteBuf b = new ByteBuf(64);
        b.appendUlong(t[2]).append(' ').append(MON[(int) t[1] - 1]).append(' ').appendUlong(t[0]).append(' ');
        return time(b, t).append(" -0000\n").toByteArray();
    }

    /** {@code myctime}: {@code Www Mmm DD HH:MM:SS YYYY} followed by LF, day zero-padded. */
    public static byte[] ctime(long epochSeconds) {
        long[] t = utc(epochSeconds);
        ByteBuf b = new ByteBuf(64);
        b.append(DAY[(int) t[6]]).append(' ').append(MON[(int) t[1] - 1]).append(' ');
        two(b, t[2]).append(' ');
        return time(b, t).append(' ').appendUlong(t[0]).append('\n').toByteArray();
    }

    /** The Message-ID time stamp {@code YYYYMMDDHHMMSS}. */
    public static byte[] idStamp(long epochSeconds) {
        long[] t = utc(epochSeconds);
        ByteBuf b = new ByteBuf(32);
        b.appendUlong(t[0]);
        for (int i = 1; i <= 5; i++) {
            two(b, t[i]);
        }
        return b.toByteArray();
    }
}
