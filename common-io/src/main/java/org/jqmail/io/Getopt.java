package org.jqmail.io;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Option scanning as qmail's {@code sgetopt}/{@code subgetopt} does it, so that every program
 * accepts and refuses exactly the command lines its C original does.
 *
 * <p>Synopsis: {@code new Getopt(progname, args, "ab:c", err)}, then call {@link #next} until it
 * returns {@link #DONE}; {@link #arg} holds an option's argument, {@link #index} the first
 * operand afterwards. {@code args} excludes argv[0].
 *
 * <p>Rules: scanning stops at the first argument that does not start with {@code -}, at a lone
 * {@code -} (which stays an operand) and after {@code --} (which is consumed). Options may be
 * grouped ({@code -ab}); an argument may be attached ({@code -bX}) or be the next word, even if
 * that starts with {@code -}. An unknown option or a missing argument returns {@code '?'} with
 * {@link #problem} set, after writing {@code progname: illegal option -- x} or
 * {@code progname: option requires an argument -- x} to {@code err} (if not null).
 *
 * <p>See also: qmail's {@code sgetopt.3}, {@code subgetopt.3}.
 */
public final class Getopt {
    /** Returned by {@link #next} when the options are over. */
    public static final int DONE = -1;

    private final String progname;
    private final List<byte[]> args;
    private final String opts;
    private final OutputStream err;
    private int ind;
    private int pos;
    private byte[] arg;
    private int problem;

    public Getopt(String progname, List<byte[]> args, String opts, OutputStream err) {
        this.progname = progname;
        this.args = args;
        this.opts = opts;
        this.err = err;
    }

    /** The next option character, {@code '?'} for a problem, or {@link #DONE}. */
    public int next() {
        int c = scan();
        if (c == '?' && err != null) {
            boolean illegal = ind < args.size();
            String msg = progname + (illegal ? ": illegal option -- " : ": option requires an argument -- ");
            try {
                err.write(Bytes.concat(Bytes.ascii(msg), new byte[] {(byte) problem, '\n'}));
                err.flush();
            } catch (IOException e) {
                // As substdio on stderr: nothing to do.
            }
        }
        return c;
    }

    private int scan() {
        arg = null;
        if (ind >= args.size()) {
            return DONE;
        }
        if (pos > 0 && pos >= args.get(ind).length) {
            ind++;
            pos = 0;
            if (ind >= args.size()) {
                return DONE;
            }
        }
        byte[] a = args.get(ind);
        if (pos == 0) {
            if (a.length == 0 || a[0] != '-') {
                return DONE;
            }
            pos = 1;
            if (a.length == 1 || a[1] == '-') {
                if (a.length > 1) {
                    ind++;
                }
                pos = 0;
                return DONE;
            }
        }
        int c = a[pos] & 0xff;
        pos++;
        int k = c == ':' ? -1 : opts.indexOf(c);
        if (k < 0) {
            problem = c;
            return '?';
        }
        if (k + 1 < opts.length() && opts.charAt(k + 1) == ':') {
            byte[] rest = Bytes.sub(a, pos);
            ind++;
            pos = 0;
            if (rest.length == 0) {
                if (ind >= args.size()) {
                    problem = c;
                    return '?';
                }
                rest = args.get(ind);
                ind++;
            }
            arg = rest;
        }
        return c;
    }

    /** The argument of the option just returned, or null. */
    public byte[] arg() {
        return arg;
    }

    /** The option character behind the last {@code '?'}. */
    public int problem() {
        return problem;
    }

    /** Index into {@code args} of the first operand, valid once {@link #next} returned {@link #DONE}. */
    public int index() {
        return ind;
    }

    /**
     * Skips the rest of the current word, for options with an optional attached argument
     * (sendmail's {@code -E}/{@code -J}).
     */
    public void skipRestOfWord() {
        if (pos > 0 && ind < args.size()) {
            pos = args.get(ind).length;
        }
    }

    /** The operands: {@code args} from {@link #index()} on. */
    public List<byte[]> operands() {
        return args.subList(Math.min(ind, args.size()), args.size());
    }
}
