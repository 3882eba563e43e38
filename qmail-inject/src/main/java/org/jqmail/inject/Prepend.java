package org.jqmail.inject;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;
import org.jqmail.io.Fmt;
import org.jqmail.io.Getopt;

/**
 * {@code preline} and {@code predate} (preline(1), qmail's predate.c): run a program with some
 * lines put in front of stdin, and exit as it does.
 */
final class Prepend {
    private static final String[] MON = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};
    static final String PRELINE_USAGE = "preline: usage: preline cmd [ arg ... ]\n";

    private Prepend() {
    }

    /**
     * {@code preline [-frdFRD] cmd [arg ...]}: UFLINE, RPLINE and DTLINE (each may be left out
     * with {@code -f}, {@code -r}, {@code -d}) before the message.
     */
    static int preline(Env env, List<byte[]> args, InputStream in, OutputStream err) {
        byte[] uf = env.get("UFLINE");
        byte[] rp = env.get("RPLINE");
        byte[] dt = env.get("DTLINE");
        if (uf == null || rp == null || dt == null) {
            return Requeue.say(err, PRELINE_USAGE, 100);
        }
        boolean f = true;
        boolean r = true;
        boolean d = true;
        Getopt g = new Getopt("preline", args, "frdFRD", err);
        int opt;
        while ((opt = g.next()) != Getopt.DONE) {
            switch (opt) {
                case 'f': f = false; break;
                case 'r': r = false; break;
                case 'd': d = false; break;
                case 'F': f = true; break;
                case 'R': r = true; break;
                case 'D': d = true; break;
                default: return Requeue.say(err, PRELINE_USAGE, 100);
            }
        }
        List<byte[]> argv = g.operands();
        if (argv.isEmpty()) {
            return Requeue.say(err, PRELINE_USAGE, 100);
        }
        ByteBuf pre = new ByteBuf(Integer.MAX_VALUE - 8);
        if (f) {
            pre.append(uf);
        }
        if (r) {
            pre.append(rp);
        }
        if (d) {
            pre.append(dt);
        }
        Child.Result res = Child.feed(argv, pre.toByteArray(), in);
        if (!res.started()) {
            return Requeue.say(err, Bytes.concat(Bytes.ascii("preline: fatal: unable to run "), argv.get(0),
                    Bytes.ascii(": " + Errors.str(res.startError()) + "\n")), res.execFailureCode());
        }
        if (res.copyError() != null) {
            return Requeue.say(err, "preline: fatal: unable to copy input: " + Errors.str(res.copyError()) + "\n",
                    111);
        }
        if (res.crashed()) {
            return Requeue.say(err, "preline: fatal: child crashed\n", 111);
        }
        return res.code();
    }

    /** {@code predate child [arg ...]}: a local-time Date field before the message. */
    static int predate(List<byte[]> args, InputStream in, OutputStream err, long now) {
        if (args.isEmpty()) {
            return Requeue.say(err, "predate: usage: predate child\n", 100);
        }
        Child.Result res = Child.feed(args, dateLine(now, ZoneId.systemDefault()), in);
        if (!res.started()) {
            return Requeue.say(err, Bytes.concat(Bytes.ascii("predate: fatal: unable to run "), args.get(0),
                    Bytes.ascii(": " + Errors.str(res.startError()) + "\n")), 111);
        }
        if (res.crashed()) {
            return Requeue.say(err, "predate: fatal: child crashed\n", 111);
        }
        return res.code();
    }

    /** {@code Date: D Mon YYYY HH:MM:SS +HHMM}: local time, offset rounded to minutes. */
    static byte[] dateLine(long now, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochSecond(now).atZone(zone);
        int off = t.getOffset().getTotalSeconds();
        int minutes = (Math.abs(off) + 30) / 60;
        ByteBuf b = new ByteBuf(64);
        b.append("Date: ").appendUlong(t.getDayOfMonth()).append(' ').append(MON[t.getMonthValue() - 1])
                .append(' ').appendUlong(t.getYear()).append(' ').append(Fmt.zeroPad(t.getHour(), 2)).append(':')
                .append(Fmt.zeroPad(t.getMinute(), 2)).append(':').append(Fmt.zeroPad(t.getSecond(), 2))
                .append(off < 0 ? " -" : " +").append(Fmt.zeroPad(minutes / 60, 2))
                .append(Fmt.zeroPad(minutes % 60, 2)).append('\n');
        return b.toByteArray();
    }
}
