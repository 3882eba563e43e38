package org.jqmail.inject;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.Failure;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;

/**
 * What qbiff writes to a user's terminals, and which terminals: qmail's {@code qbiff.c}.
 *
 * <p>The notice is {@code CR LF BEL *** TO <LOCAL> FROM <SENDER> CR LF}, then four spaces, the
 * message's Subject value and the start of its body, cut to 78 bytes in all, then CR LF. In the
 * first line every byte outside 32..126 becomes {@code _}; in the second every such byte
 * (the newlines included) becomes {@code /}.
 *
 * <p>The terminals are the {@code USER_PROCESS} records of the utmp file whose user is USER
 * (compared over utmp's 32 bytes, as strncmp does), whose line is not empty, does not start with
 * {@code /} and holds no dot; the line names a device under {@code /dev}.
 *
 * <p>Synopsis: {@link #notice} and {@link #ttys} are pure and are the fuzz entry points for the
 * message and the utmp file. Records follow glibc's {@code struct utmpx} on 64-bit Linux
 * (x86_64, aarch64): 384 bytes, little-endian type at 0, line at 8, user at 44.
 *
 * <p>See also: qbiff(1), utmp(5), qbiff.c.
 */
public final class Biff {
    /** Longest second line of the notice, its four leading spaces included. */
    static final int TEXT_MAX = 78;
    static final int UT_SIZE = 384;
    static final int UT_LINE = 8;
    static final int UT_USER = 44;
    static final int UT_NAMESIZE = 32;
    static final int USER_PROCESS = 7;
    /** Bound on a Subject field read from the message: beyond it qbiff says nothing. */
    static final int FIELD_MAX = 1024 * 1024;

    private Biff() {
    }

    /**
     * The notice for a message read from {@code in}, or null if the message cannot be read
     * (qbiff then stays silent).
     */
    public static byte[] notice(byte[] local, byte[] sender, InputStream in) {
        ByteBuf tofrom = new ByteBuf(Integer.MAX_VALUE - 8);
        tofrom.append("*** TO <").append(local).append("> FROM <").append(sender).append(">");
        byte[] tf = tofrom.toByteArray();
        for (int i = 0; i < tf.length; i++) {
            if (tf[i] < 32 || tf[i] > 126) {
                tf[i] = '_';
            }
        }
        Text text = new Text();
        try {
            new HeaderBody(new SubstdioIn(in, 8192), text, FIELD_MAX).run();
        } catch (IOException | HeaderBody.TooLong | Failure e) {
            return null;
        }
        byte[] t = text.b.toByteArray();
        for (int i = 0; i < t.length; i++) {
            if (t[i] < 32 || t[i] > 126) {
                t[i] = '/';
            }
        }
        return Bytes.concat(new byte[] {'\r', '\n', 7}, tf, new byte[] {'\r', '\n'}, t, new byte[] {'\r', '\n'});
    }

    /** The second line's bytes: Subject values and body, cut after every append. */
    private static final class Text implements HeaderBody.Handler {
        final ByteBuf b = new ByteBuf(TEXT_MAX + 8).append("    ");

        private void add(byte[] s, int off, int n) {
            b.append(s, off, Math.min(n, TEXT_MAX + 8 - b.length()));
            if (b.length() > TEXT_MAX) {
                b.truncate(TEXT_MAX);
            }
        }

        @Override
        public void field(byte[] f) {
            if (HeaderField.known(f, f.length) == HeaderField.SUBJECT) {
                int i = HeaderField.skipName(f, f.length);
                add(f, i, f.length - i);
            }
        }

        @Override
        public void headerDone() {
        }

        @Override
        public void body(byte[] s, int off, int n) {
            add(s, off, n);
        }
    }

    /** The terminal lines (under /dev) where {@code user} is logged in, per the utmp bytes. */
    public static List<String> ttys(byte[] utmp, byte[] user) {
        List<String> out = new ArrayList<>();
        if (user.length > UT_NAMESIZE) {
            return out;
        }
        for (int r = 0; r + UT_SIZE <= utmp.length; r += UT_SIZE) {
            int type = (utmp[r] & 0xff) | (utmp[r + 1] << 8);
            if (type != USER_PROCESS || !sameUser(utmp, r + UT_USER, user)) {
                continue;
            }
            int n = 0;
            while (n < UT_NAMESIZE && utmp[r + UT_LINE + n] != 0) {
                n++;
            }
            byte[] line = Bytes.sub(utmp, r + UT_LINE, r + UT_LINE + n);
            if (n == 0 || line[0] == '/' || Bytes.indexOf(line, '.') >= 0) {
                continue;
            }
            out.add(Bytes.str(line));
        }
        return out;
    }

    /** {@code str_diffn(ut_user, user, 32) == 0}. */
    private static boolean sameUser(byte[] b, int off, byte[] user) {
        for (int i = 0; i < UT_NAMESIZE; i++) {
            byte a = b[off + i];
            byte u = i < user.length ? user[i] : 0;
            if (a != u) {
                return false;
            }
            if (a == 0) {
                return true;
            }
        }
        return true;
    }
}
