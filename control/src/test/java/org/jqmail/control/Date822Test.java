package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;

/** The arithmetic date formatting agrees with java.time over a wide range of instants. */
class Date822Test {
    @Test
    void agreesWithJavaTime() {
        DateTimeFormatter f822 = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss '-0000'\n", Locale.ROOT);
        DateTimeFormatter fct = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss yyyy\n", Locale.ROOT);
        DateTimeFormatter fid = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);
        for (long t = -2208988800L; t < 7258118400L; t += 86400L * 13 + 3607) {
            ZonedDateTime z = Instant.ofEpochSecond(t).atZone(ZoneOffset.UTC);
            assertEquals(f822.format(z), Bytes.str(Date822.fmt(t)), "t=" + t);
            assertEquals(fct.format(z), Bytes.str(Date822.ctime(t)), "t=" + t);
            assertEquals(fid.format(z), Bytes.str(Date822.idStamp(t)), "t=" + t);
        }
        assertEquals("29 Feb 2000 23:59:59 -0000\n", Bytes.str(Date822.fmt(951868799L)));
        assertEquals("31 Dec 1969 23:59:59 -0000\n", Bytes.str(Date822.fmt(-1)));
    }
}
