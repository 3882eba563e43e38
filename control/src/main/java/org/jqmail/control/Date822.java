package org.jqmail.control;

import org.jqmail.io.ByteBuf;

/**
 * The dates qmail writes, all in UTC (qmail's date822fmt.c): {@code date822fmt}, the mbox From_
 * line's {@code myctime}, and the time stamp of a Message-ID.
 *
 * <p>The calendar is computed with plain integer arithmetic (days since the epoch to the
 * proleptic Gregorian civil date), not with {@code java.time}: these run once in every
 * short-lived program that writes a Received line, where loading and linking
 * {@code java.time} costs tens of milliseconds of start-up.
 */
public final class Date822 {
    private static final String[] MON = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
        "Sep", "Oct", "Nov", "Dec"};
    private static final String[] DAY = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};

    private Date822() {
    }

    /** Year, month (1..12), day (1..31), hour, minute, second and weekday (0 = Thursday). */
    private static final class Civil {
        final long year;
        final int month;
        final int day;
        final int hour;
        final int minute;
        final int second;
        final int weekday;

        Civil(long epochSeconds) {
            long days = Math.floorDiv(epochSeconds, 86400L);
            int secs = (int) Math.floorMod(epochSeconds, 86400L);
            hour = secs / 3600;
            minute = secs / 60 % 60;
            second = secs % 60;
            weekday = (int) Math.floorMod(days, 7L);
            // Days since 0000-03-01, in 400-year eras of 146097 days; March-based years put
            // the leap day at the end of the year.
            long z = days + 719468;
            long era = Math.floorDiv(z, 146097L);
            long doe = z - era * 146097;
            long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
            long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            long mp = (5 * doy + 2) / 153;
            day = (int) (doy - (153 * mp + 2) / 5 + 1);
            month = (int) (mp < 10 ? mp + 3 : mp - 9);
            year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        }
    }

    private static ByteBuf two(ByteBuf b, int v) {
        return b.append('0' + v / 10).append('0' + v % 10);
    }

    private static ByteBuf time(ByteBuf b, Civil t) {
        two(b, t.hour).append(':');
        two(b, t.minute).append(':');
        return two(b, t.second);
    }

    /** {@code date822fmt}: {@code 6 Sep 1995 04:46:54 -0000} followed by LF. */
    public static byte[] fmt(long epochSeconds) {
        Civil t = new Civil(epochSeconds);
        ByteBuf b = new ByteBuf(40);
        b.appendUlong(t.day).append(' ').append(MON[t.month - 1]).append(' ');
        b.append(Long.toString(t.year)).append(' ');
        return time(b, t).append(" -0000\n").toByteArray();
    }

    /** {@code myctime}: {@code Www Mmm DD HH:MM:SS YYYY} followed by LF, day zero-padded. */
    public static byte[] ctime(long epochSeconds) {
        Civil t = new Civil(epochSeconds);
        ByteBuf b = new ByteBuf(40);
        b.append(DAY[t.weekday]).append(' ').append(MON[t.month - 1]).append(' ');
        two(b, t.day).append(' ');
        time(b, t).append(' ').append(Long.toString(t.year));
        return b.append('\n').toByteArray();
    }

    /** The Message-ID time stamp {@code YYYYMMDDHHMMSS}. */
    public static byte[] idStamp(long epochSeconds) {
        Civil t = new Civil(epochSeconds);
        ByteBuf b = new ByteBuf(24);
        b.append(Long.toString(t.year));
        two(b, t.month);
        two(b, t.day);
        two(b, t.hour);
        two(b, t.minute);
        return two(b, t.second).toByteArray();
    }
}
