package org.jqmail.local;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jqmail.control.Date822;
import org.jqmail.control.Quote;
import org.jqmail.io.Bytes;

/**
 * The per-delivery values of qmail-local(8): the environment variables qmail-local sets
 * for programs (HOST HOME USER LOCAL RECIPIENT DTLINE SENDER RPLINE UFLINE EXT EXT2 EXT3 EXT4
 * HOST2 HOST3 HOST4, later DEFAULT and NEWSENDER), the three header lines it writes, and
 * {@code safeext}, the extension used to find the {@code .qmail} file.
 *
 * <p>Pure: computed from the arguments and the start time only. Values are not quoted or
 * sanitised beyond what qmail does ({@code \n} → {@code _} in DTLINE and RPLINE).
 */
final class Env {
    private final Map<String, byte[]> vars = new LinkedHashMap<>();
    private final byte[] dtline;
    private final byte[] rpline;
    private final byte[] ufline;
    private final byte[] safeext;

    private Env(Args a, long now) {
        put("HOST", a.host());
        put("HOME", a.homedir());
        put("USER", a.user());
        put("LOCAL", a.local());
        byte[] recipient = Bytes.concat(a.local(), Bytes.ascii("@"), a.host());
        put("RECIPIENT", recipient);
        dtline = line(Bytes.ascii("Delivered-To: "), recipient, Bytes.ascii("\n"));
        put("DTLINE", dtline);
        put("SENDER", a.sender());
        rpline = line(Bytes.ascii("Return-Path: <"), Quote.quote2(a.sender()), Bytes.ascii(">\n"));
        put("RPLINE", rpline);
        ufline = Bytes.concat(Bytes.ascii("From "), envelopeFrom(a.sender()), Bytes.ascii(" "),
                Date822.ctime(now));
        put("UFLINE", ufline);
        byte[] ext = a.ext();
        put("EXT", ext);
        int x = afterDash(ext, 0);
        put("EXT2", Bytes.sub(ext, x));
        x = afterDash(ext, x);
        put("EXT3", Bytes.sub(ext, x));
        x = afterDash(ext, x);
        put("EXT4", Bytes.sub(ext, x));
        safeext = safeext(ext);
        byte[] host = a.host();
        int i = rchr(host, host.length, '.');
        put("HOST2", Bytes.sub(host, 0, i));
        i = rchr(host, i, '.');
        put("HOST3", Bytes.sub(host, 0, i));
        i = rchr(host, i, '.');
        put("HOST4", Bytes.sub(host, 0, i));
    }

    /** The values for a delivery of {@code a} started at Unix time {@code now}. */
    static Env of(Args a, long now) {
        return new Env(a, now);
    }

    /** {@code prefix + s + suffix} with every {@code \n} of the first two parts made {@code _}. */
    private static byte[] line(byte[] prefix, byte[] s, byte[] suffix) {
        byte[] r = Bytes.concat(prefix, s, suffix);
        for (int i = 0; i < r.length - suffix.length; i++) {
            if (r[i] == '\n') {
                r[i] = '_';
            }
        }
        return r;
    }

    /** The From_ line's sender: space, TAB and LF become {@code -}; empty is MAILER-DAEMON. */
    static byte[] envelopeFrom(byte[] sender) {
        if (sender.length == 0) {
            return Bytes.ascii("MAILER-DAEMON");
        }
        byte[] r = sender.clone();
        for (int i = 0; i < r.length; i++) {
            if (r[i] == ' ' || r[i] == '\t' || r[i] == '\n') {
                r[i] = '-';
            }
        }
        return r;
    }

    /** The index after the first {@code -} at or after {@code from}, or the length. */
    private static int afterDash(byte[] s, int from) {
        int i = Bytes.indexOf(s, '-', from);
        return i < 0 ? s.length : i + 1;
    }

    /** {@code byte_rchr(s, n, c)}: the last {@code c} in {@code s[0..n)}, or {@code n}. */
    private static int rchr(byte[] s, int n, int c) {
        for (int i = n - 1; i >= 0; i--) {
            if (s[i] == (byte) c) {
                return i;
            }
        }
        return n;
    }

    /** {@code ext} in ASCII lower case with every {@code .} made {@code :}. */
    static byte[] safeext(byte[] ext) {
        byte[] r = Bytes.lower(ext);
        for (int i = 0; i < r.length; i++) {
            if (r[i] == '.') {
                r[i] = ':';
            }
        }
        return r;
    }

    /** Sets (or replaces) a variable, as {@code env_put2} does. */
    void put(String name, byte[] value) {
        vars.put(name, value);
    }

    /** The variables set so far, in the order qmail sets them. */
    Map<String, byte[]> vars() {
        return Collections.unmodifiableMap(vars);
    }

    byte[] dtline() {
        return dtline.clone();
    }

    byte[] rpline() {
        return rpline.clone();
    }

    byte[] ufline() {
        return ufline.clone();
    }

    byte[] safeext() {
        return safeext.clone();
    }
}
