package org.jqmail.local;

import java.util.List;
import org.jqmail.control.PermFail;
import org.jqmail.io.Bytes;

/**
 * qmail-local's command line (qmail-local(8)):
 * {@code qmail-local [-nN] user homedir local dash ext domain sender defaultdelivery}.
 *
 * <p>Options are parsed as qmail's {@code sgetopt} does: grouped flags ({@code -nN}), {@code --}
 * ends the options, a lone {@code -} is an argument, and an unknown flag prints
 * {@code qmail-local: illegal option -- X} before the usage text. Like the C strings they are
 * in qmail, arguments end at their first NUL byte.
 *
 * @param doit false for {@code -n}: print the instructions instead of executing them
 */
record Args(boolean doit, byte[] user, byte[] homedir, byte[] local, byte[] dash, byte[] ext,
        byte[] host, byte[] sender, byte[] aliasempty) {
    static final int COUNT = 8;

    /**
     * Parses {@code argv} (without the program name). Writes the {@code sgetopt} complaint to
     * {@code out}'s fd 2 for an unknown option and throws the usage failure.
     */
    static Args parse(List<byte[]> argv, Output out) throws PermFail {
        boolean doit = true;
        int optind = 0;
        outer:
        while (optind < argv.size()) {
            byte[] a = cstr(argv.get(optind));
            if (a.length < 1 || a[0] != '-' || a.length == 1) {
                break;
            }
            if (a[1] == '-') {
                optind++;
                break;
            }
            for (int i = 1; i < a.length; i++) {
                switch (a[i]) {
                    case 'n': doit = false; break;
                    case 'N': doit = true; break;
                    default:
                        complain(out, a[i]);
                        throw Trouble.usage();
                }
            }
            optind++;
            continue outer;
        }
        if (argv.size() - optind != COUNT) {
            throw Trouble.usage();
        }
        byte[][] v = new byte[COUNT][];
        for (int i = 0; i < COUNT; i++) {
            v[i] = cstr(argv.get(optind + i));
        }
        if (v[1].length == 0 || v[1][0] != '/') {
            throw Trouble.usage();
        }
        return new Args(doit, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    }

    /** The eight arguments of a delivery, as after {@code --} (the worker's requests). */
    static Args delivery(List<byte[]> args) throws PermFail {
        if (args.size() != COUNT) {
            throw Trouble.usage();
        }
        byte[][] v = new byte[COUNT + 1][];
        v[0] = Bytes.ascii("--");
        for (int i = 0; i < COUNT; i++) {
            v[i + 1] = args.get(i);
        }
        return parse(List.of(v), Output.NONE);
    }

    private static void complain(Output out, byte c) {
        out.err(Bytes.concat(Bytes.ascii(Trouble.PROGNAME + ": illegal option -- "), new byte[] {c, '\n'}));
    }

    /** The bytes before the first NUL, as C sees an argument. */
    static byte[] cstr(byte[] s) {
        int nul = Bytes.indexOf(s, 0);
        return nul < 0 ? s : Bytes.sub(s, 0, nul);
    }
}
