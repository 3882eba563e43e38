package org.jqmail.control;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.jqmail.io.Bytes;

/**
 * The dates qmail writes, all in UTC (spec §0.4): {@code date822fmt}, the mbox From_ line's
 * {@code myctime}, and the time stamp of a Message-ID.
 */
public final class Date822 {
    private static final String[] MON = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
        "Sep", "Oct", "Nov", "Dec"};
    private static final String[] DAY = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    private Date822() {
    }

    private static ZonedDateTime utc(long epochSeconds) {
        return Instant.ofEpochSecond(epochSeconds).atZone(ZoneOffset.UTC);
    }

    // ctime() is on qmail-local's start-up path: StringBuilder rather than +, whose first use
    // (an invokedynamic bootstrap) costs a short-lived JVM some 50 ms of CPU on JDK 17.
    private static String two(int v) {
        return v < 10 ? new StringBuilder(2).append('0').append(v).toString() : Integer.toString(v);
    }

    /** {@code date822fmt}: {@code 6 Sep 1995 04:46:54 -0000} followed by LF. */
    public static byte[] fmt(long epochSeconds) {
        ZonedDateTime t = utc(epochSeconds);
        return Bytes.ascii(t.getDayOfMonth() + " " + MON[t.getMonthValue() - 1] + " " + t.getYear()
                + " " + two(t.getHour()) + ":" + two(t.getMinute()) + ":" + two(t.getSecond())
                + " -0000\n");
    }

    /** {@code myctime}: {@code Www Mmm DD HH:MM:SS YYYY} followed by LF, day zero-padded. */
    public static byte[] ctime(long epochSeconds) {
        ZonedDateTime t = utc(epochSeconds);
        return Bytes.ascii(new StringBuilder(25).append(DAY[t.getDayOfWeek().getValue() - 1]).append(' ')
                .append(MON[t.getMonthValue() - 1]).append(' ').append(two(t.getDayOfMonth())).append(' ')
                .append(two(t.getHour())).append(':').append(two(t.getMinute())).append(':')
                .append(two(t.getSecond())).append(' ').append(t.getYear()).append('\n').toString());
    }

    /** The Message-ID time stamp {@code YYYYMMDDHHMMSS}. */
    public static byte[] idStamp(long epochSeconds) {
        ZonedDateTime t = utc(epochSeconds);
        return Bytes.ascii(t.getYear() + two(t.getMonthValue()) + two(t.getDayOfMonth())
                + two(t.getHour()) + two(t.getMinute()) + two(t.getSecond()));
    }
}
