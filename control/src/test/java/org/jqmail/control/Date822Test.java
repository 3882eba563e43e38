package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Random;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;

/** Date822's arithmetic calendar against java.time, over leap years, centuries and eras. */
class Date822Test {
    private static final String[] MON = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
        "Sep", "Oct", "Nov", "Dec"};

    private static void check(long t) {
        ZonedDateTime z = Instant.ofEpochSecond(t).atZone(ZoneOffset.UTC);
        String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", z.getHour(), z.getMinute(), z.getSecond());
        String mon = MON[z.getMonthValue() - 1];
        assertEquals(z.getDayOfMonth() + " " + mon + " " + z.getYear() + " " + hms + " -0000\n",
                Bytes.str(Date822.fmt(t)), "fmt " + t);
        String dow = z.getDayOfWeek().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ROOT);
        assertEquals(String.format(Locale.ROOT, "%s %s %02d %s %d\n", dow, mon, z.getDayOfMonth(), hms, z.getYear()),
                Bytes.str(Date822.ctime(t)), "ctime " + t);
        assertEquals(String.format(Locale.ROOT, "%d%02d%02d%02d%02d%02d", z.getYear(), z.getMonthValue(),
                z.getDayOfMonth(), z.getHour(), z.getMinute(), z.getSecond()), Bytes.str(Date822.idStamp(t)));
    }

    @Test
    void agreesWithJavaTime() {
        long[] fixed = {0, -1, 810362814L, 951782400L, 951868799L, 4107542400L, 4102444799L, 253402300799L,
            1709164800L, 1709251199L, -2208988800L};
        for (long t : fixed) {
            check(t);
        }
        Random r = new Random(822);
        for (int i = 0; i < 20000; i++) {
            check(r.nextLong() % 253402300800L);
        }
    }
}
