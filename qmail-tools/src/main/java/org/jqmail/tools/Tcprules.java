package org.jqmail.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.jqmail.control.CdbMake;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.SubstdioIn;

/**
 * tcprules: compiles tcpserver's access rules into the cdb that the SMTP listener and
 * tcpserver read ({@code -x}), so that an installation needs no ucspi-tcp to make
 * {@code etc/tcp.smtp.cdb}. The same input gives the same bytes as ucspi-tcp's tcprules.
 *
 * <p>Synopsis: {@code tcprules rules.cdb rules.tmp < rules}. Each line, stripped of trailing
 * spaces, TABs and LF: empty lines, lines starting with {@code #} and lines without a colon are
 * skipped; otherwise {@code ADDRESS:allow} or {@code ADDRESS:deny}, then any number of
 * {@code ,VAR=QVALUEQ} where Q is any character not in VALUE. The data is {@code D\0} for deny,
 * then {@code +VAR=VALUE\0} per variable. An address without {@code =} whose numbers hold one
 * range {@code A-B} (as in {@code 10.0.0.1-20}) stands for each number from A to B (at most
 * 255). The cdb is written to rules.tmp, fsynced and renamed over rules.cdb.
 *
 * <p>Exit codes: 0; 100 for a usage error or a line it cannot parse
 * ({@code tcprules: fatal: unable to parse this line: LINE}); 111 when it cannot read, write
 * or rename.
 *
 * <p>See also: tcprules(1), tcpserver(1).
 */
public final class Tcprules {
    static final String FATAL = "tcprules: fatal: ";
    /** Longest rule line read (tcprules has no limit; a rules file is written by hand). */
    static final int LINE_MAX = 64 * 1024;

    private Tcprules() {
    }

    public static void main(String[] args) {
        Main.guard(111);
        int code;
        try {
            code = run(args, System.in, Out.stderr());
        } catch (Throwable t) {
            code = Main.failed("tcprules", t, 111);
        }
        Main.end(code);
    }

    /** A fatal condition: the line to print and the exit code. */
    static final class Fatal extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Fatal(int code, String line) {
            super(line, null, false, false);
            this.code = code;
        }
    }

    static int run(String[] args, InputStream in, OutputStream err) throws IOException {
        try {
            if (args.length < 2) {
                throw new Fatal(100, "tcprules: usage: tcprules rules.cdb rules.tmp");
            }
            make(Paths.get(args[0]), Paths.get(args[1]), in);
            return 0;
        } catch (Fatal f) {
            err.write(Bytes.ascii(f.getMessage() + "\n"));
            err.flush();
            return f.code;
        }
    }

    private static void make(Path cdbPath, Path tmp, InputStream in) throws Fatal {
        CdbMake cdb;
        try {
            cdb = new CdbMake(cdbPath, tmp);
        } catch (IOException e) {
            throw new Fatal(111, FATAL + "unable to create " + tmp + ": " + Errors.str(e));
        }
        SubstdioIn lines = new SubstdioIn(in, 4096);
        ByteBuf line = new ByteBuf(128, LINE_MAX);
        SubstdioIn.Line r = SubstdioIn.Line.LINE;
        while (r == SubstdioIn.Line.LINE) {
            line.clear();
            try {
                r = lines.getline(line, (byte) '\n', LINE_MAX);
            } catch (IOException e) {
                throw new Fatal(111, FATAL + "unable to read input: " + Errors.str(e));
            }
            if (r == SubstdioIn.Line.TOO_LONG) {
                throw new Fatal(111, FATAL + "unable to read input: " + Errors.str(Errors.ENOMEM));
            }
            if (r != SubstdioIn.Line.EOF) {
                rule(cdb, tmp, line.toByteArray());
            }
        }
        try {
            cdb.finish();
        } catch (IOException e) {
            throw new Fatal(111, FATAL + "unable to write " + tmp + " or move it to " + cdbPath + ": "
                    + Errors.str(e));
        }
    }

    /** One line: parse it and add its key(s). */
    static void rule(CdbMake cdb, Path tmp, byte[] x) throws Fatal {
        int len = x.length;
        while (len > 0 && (x[len - 1] == '\n' || x[len - 1] == ' ' || x[len - 1] == '\t')) {
            len--;
        }
        if (len == 0 || x[0] == '#') {
            return;
        }
        int colon = indexOf(x, 0, len, (byte) ':');
        if (colon == len) {
            return;
        }
        byte[] address = java.util.Arrays.copyOf(x, colon);
        ByteBuf data = new ByteBuf(32, LINE_MAX);
        int i = colon + 1;
        if (startsWith(x, i, len, "allow")) {
            i += 5;
        } else if (startsWith(x, i, len, "deny")) {
            i += 4;
            data.append('D').append(0);
        } else {
            throw parse(x, len);
        }
        while (i < len) {
            if (x[i] != ',') {
                throw parse(x, len);
            }
            int eq = indexOf(x, i, len, (byte) '=');
            if (eq == len || eq + 1 == len) {
                throw parse(x, len);
            }
            data.append('+').append(x, i + 1, eq + 1 - (i + 1));
            byte delim = x[eq + 1];
            int end = indexOf(x, eq + 2, len, delim);
            if (end == len) {
                throw parse(x, len);
            }
            data.append(x, eq + 2, end - (eq + 2)).append(0);
            i = end + 1;
        }
        try {
            add(cdb, address, data.toByteArray());
        } catch (IOException e) {
            throw new Fatal(111, FATAL + "unable to write " + tmp + ": " + Errors.str(e));
        }
    }

    /** Adds the address, or each address of its range {@code A-B}. */
    private static void add(CdbMake cdb, byte[] a, byte[] data) throws IOException {
        if (indexOf(a, 0, a.length, (byte) '=') == a.length) {
            for (int i = 0; i < a.length; i++) {
                if (a[i] != '-') {
                    continue;
                }
                int left = i;
                while (left > 0 && digit(a[left - 1])) {
                    left--;
                }
                int right = i + 1;
                while (right < a.length && digit(a[right])) {
                    right++;
                }
                if (left < i && right > i + 1) {
                    long bot = number(a, left, i);
                    long top = Math.min(number(a, i + 1, right), 255);
                    for (long n = bot; n <= top; n++) {
                        ByteBuf k = new ByteBuf(a.length + 3, a.length + 3);
                        k.append(a, 0, left).append(Bytes.ascii(Long.toString(n))).append(a, right, a.length - right);
                        cdb.add(k.toByteArray(), data);
                    }
                    return;
                }
            }
        }
        cdb.add(a, data);
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** The decimal number in {@code a[from, to)}, capped well above 255. */
    private static long number(byte[] a, int from, int to) {
        long n = 0;
        for (int i = from; i < to && n < 1000; i++) {
            n = n * 10 + (a[i] - '0');
        }
        return n;
    }

    private static Fatal parse(byte[] x, int len) {
        return new Fatal(100, FATAL + "unable to parse this line: " + Bytes.str(x, 0, len));
    }

    private static int indexOf(byte[] x, int from, int len, byte b) {
        for (int i = from; i < len; i++) {
            if (x[i] == b) {
                return i;
            }
        }
        return len;
    }

    private static boolean startsWith(byte[] x, int at, int len, String s) {
        if (len - at < s.length()) {
            return false;
        }
        for (int j = 0; j < s.length(); j++) {
            if (x[at + j] != s.charAt(j)) {
                return false;
            }
        }
        return true;
    }
}
