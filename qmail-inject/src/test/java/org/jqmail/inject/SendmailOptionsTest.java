package org.jqmail.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** sendmail.c's option handling, case by case. */
class SendmailOptionsTest {
    String err;

    SendmailOptions.Plan parse(String progname, boolean protoUnset, String... args) {
        List<byte[]> a = new ArrayList<>();
        for (String s : args) {
            a.add(Bytes.ascii(s));
        }
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        SendmailOptions.Plan p = SendmailOptions.parse(progname, a, protoUnset, e);
        err = Bytes.str(e.toByteArray());
        return p;
    }

    static String args(SendmailOptions.Plan p) {
        List<String> l = new ArrayList<>();
        for (byte[] b : p.args()) {
            l.add(Bytes.str(b));
        }
        return String.join(" ", l);
    }

    static String env(SendmailOptions.Plan p) {
        Map<String, String> m = new TreeMap<>();
        p.env().forEach((k, v) -> m.put(k, v == null ? "(unset)" : Bytes.str(v)));
        return m.toString();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "|-a --",
        "-t|-H --",
        "-t a b|-H -- a b",
        "-oi -t|-H --",
        "-odb -oem -oi x|-a -- x",
        "-i -v -x -m x|-a -- x",
        "-e x y|-a -- y",
        "-p smtp:host y|-a -- y",
        "-B 8BITMIME y|-a -- y",
        "-Exyz y|-a -- y",
        "-E y|-a -- y",
        "-J -t y|-H -- y",
        "-bm -t|-H --",
        "-- -t|-a -- -t",
        "x -t|-a -- x -t",
        "-f s@h x|-a -f s@h -- x",
        "-fs@h x|-a -f s@h -- x"})
    void argumentsForQmailInject(String in, String out) {
        SendmailOptions.Plan p = parse("sendmail", true, in == null ? new String[0] : in.split(" "));
        assertEquals(SendmailOptions.Kind.INJECT, p.kind());
        assertEquals(out, args(p));
        assertEquals("", err);
    }

    @Test
    void senderSetsTheDefaultFromAndDropsTheName() {
        SendmailOptions.Plan p = parse("sendmail", true, "-F", "Joe", "-f", "joe@x.org", "a");
        assertEquals("{MAILHOST=(unset), MAILNAME=(unset), NAME=(unset), QMAILHOST=x.org, QMAILNAME=(unset),"
                + " QMAILUSER=joe}", env(p));
        p = parse("sendmail", true, "-fjoe");
        assertEquals("{MAILHOST=(unset), MAILNAME=(unset), NAME=(unset), QMAILHOST=(unset), QMAILNAME=(unset),"
                + " QMAILUSER=joe}", env(p));
        p = parse("sendmail", true, "-FJoe Doe", "a");
        assertEquals("{MAILNAME=Joe Doe}", env(p));
        p = parse("sendmail", true, "-f", "a@b@c");
        assertTrue(env(p).contains("QMAILHOST=c") && env(p).contains("QMAILUSER=a@b"));
    }

    @Test
    void queueListingAndSmtp() {
        assertEquals(SendmailOptions.Kind.QREAD, parse("sendmail", true, "-bp").kind());
        assertEquals(SendmailOptions.Kind.QREAD, parse("mailq", true).kind());
        assertEquals(SendmailOptions.Kind.QREAD, parse("mailq", true, "-v").kind());
        SendmailOptions.Plan p = parse("sendmail", true, "-bs");
        assertEquals(SendmailOptions.Kind.SMTPD, p.kind());
        assertEquals("{DATABYTES=0, PROTO=TCP, RELAYCLIENT=, TCPLOCALHOST=localhost, TCPLOCALIP=127.0.0.1,"
                + " TCPREMOTEHOST=localhost, TCPREMOTEINFO=sendmail-bs, TCPREMOTEIP=127.0.0.1}", env(p));
        assertEquals("{}", env(parse("sendmail", false, "-bs")));
    }

    @Test
    void refusals() {
        assertEquals(SendmailOptions.Kind.USAGE, parse("sendmail", true, "-N", "x").kind());
        assertEquals("sendmail: illegal option -- N\n", err);
        assertEquals(SendmailOptions.Kind.USAGE, parse("sendmail", true, "-bx").kind());
        assertEquals("", err);
        assertEquals(SendmailOptions.Kind.USAGE, parse("sendmail", true, "-b").kind());
        assertEquals("sendmail: option requires an argument -- b\n", err);
        assertEquals(SendmailOptions.Kind.NEWALIASES, parse("newaliases", true).kind());
        assertEquals(SendmailOptions.Kind.USAGE, parse("mailq", true, "-q").kind());
        assertEquals("mailq: illegal option -- q\n", err);
    }

    @Test
    void prognameIsTheBasename() {
        assertEquals("mailq", SendmailOptions.progname("/usr/bin/mailq"));
        assertEquals("sendmail", SendmailOptions.progname("/usr/sbin/sendmail"));
        assertEquals("sendmail", SendmailOptions.progname(null));
        assertFalse(SendmailOptions.progname("x/").equals("x"));
    }
}
