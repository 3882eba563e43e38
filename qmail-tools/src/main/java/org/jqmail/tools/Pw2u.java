package org.jqmail.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.control.ConstMap;
import org.jqmail.control.Control;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;
import org.jqmail.io.Getopt;
import org.jqmail.io.Scan;
import org.jqmail.io.SubstdioIn;
import org.jqmail.io.SubstdioOut;

/**
 * qmail-pw2u: turns V7 passwd lines on stdin into {@code users/assign} lines on stdout
 * (qmail-pw2u(8)), with qmail-getpw's rules: no uid 0, no upper-case names (unless {@code -u}),
 * home must exist and belong to the user ({@code -o}, default; {@code -h} stops at a missing
 * home; {@code -H} does not look). {@code -cC} sets the extension delimiter, {@code -C}
 * disables extensions, {@code -/} uses {@code -/} as the dash. {@code users/include},
 * {@code exclude}, {@code mailnames}, {@code subusers} and {@code append} shape the result,
 * which ends with {@code .}.
 *
 * <p>Exit 0; 100 for a bad option; 111 with {@code qmail-pw2u: fatal: ...} (no alias user,
 * unreadable controls or input, unwritable output, a home that cannot be checked).
 */
final class Pw2u {
    private static final int LINE_MAX = 1024 * 1024;
    private static final String FATAL = "qmail-pw2u: fatal: ";

    /** Thrown to end the program with a message and exit 111. */
    private static final class Die extends Exception {
        private static final long serialVersionUID = 1L;

        Die(String text) {
            super(text, null, false, false);
        }
    }

    private final Auto auto;
    private final InputStream in;
    private final SubstdioOut out;
    private final OutputStream err;

    private String dash = "-:";
    private boolean noUpper = true;
    /** 2: skip missing or foreign homes; 1: stop at a missing home; 0: do not look. */
    private int homeStrategy = 2;
    private byte brk = Auto.BREAK;
    private ConstMap include;
    private ConstMap exclude;
    private ConstMap mailnames;
    private final java.util.Map<String, byte[]> allusers = new java.util.HashMap<>();
    private boolean alias;

    Pw2u(Auto auto, InputStream in, OutputStream out, OutputStream err) {
        this.auto = auto;
        this.in = in;
        this.out = new SubstdioOut(out, 8192);
        this.err = err;
    }

    int run(List<byte[]> args) throws IOException {
        Getopt g = new Getopt("qmail-pw2u", args, "/ohHuUc:C", err);
        int opt;
        while ((opt = g.next()) != Getopt.DONE) {
            switch (opt) {
                case '/': dash = "-/:"; break;
                case 'o': homeStrategy = 2; break;
                case 'h': homeStrategy = 1; break;
                case 'H': homeStrategy = 0; break;
                case 'u': noUpper = false; break;
                case 'U': noUpper = true; break;
                case 'c': brk = g.arg().length == 0 ? 0 : g.arg()[0]; break;
                case 'C': brk = 0; break;
                default: return 100;
            }
        }
        try {
            convert();
            return 0;
        } catch (Die d) {
            err.write(Bytes.ascii(FATAL + d.getMessage() + "\n"));
            err.flush();
            return 111;
        }
    }

    private void convert() throws Die, IOException {
        if (!Files.isDirectory(auto.home())) {
            throw new Die("unable to chdir");
        }
        Control c = new Control(auto.home());
        try {
            include = set(c.readFile("users/include", false), false);
            exclude = set(c.readFile("users/exclude", false), false);
            mailnames = set(c.readFile("users/mailnames", false), true);
        } catch (IOException e) {
            throw new Die("unable to read controls");
        }
        SubstdioIn ss = new SubstdioIn(in, 8192);
        for (;;) {
            ByteBuf line = new ByteBuf(LINE_MAX);
            SubstdioIn.Line r;
            try {
                r = ss.getline(line, (byte) '\n', LINE_MAX - 1);
            } catch (IOException e) {
                throw new Die("unable to read input");
            }
            if (r == SubstdioIn.Line.TOO_LONG) {
                throw new Die("out of memory");
            }
            if (r == SubstdioIn.Line.LINE) {
                line.append('\n');
            }
            account(line.toByteArray());
            if (r != SubstdioIn.Line.LINE) {
                break;
            }
        }
        if (!alias) {
            throw new Die("unable to find " + auto.user(Auto.ALIAS) + " user");
        }
        forEachLine(auto.usersDir().resolve("subusers"), this::subuser);
        forEachLine(auto.usersDir().resolve("append"), l -> put(l));
        put(Bytes.ascii(".\n"));
        try {
            out.flush();
        } catch (IOException e) {
            throw new Die("unable to write output");
        }
    }

    private static ConstMap set(List<byte[]> l, boolean colon) {
        return l == null ? null : colon ? ConstMap.ofColonLines(l) : ConstMap.ofList(l);
    }

    /** A line handler that may die. */
    private interface LineHandler {
        void line(byte[] l) throws Die, IOException;
    }

    private void forEachLine(Path p, LineHandler h) throws Die, IOException {
        InputStream f;
        try {
            f = Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new Die("unable to read controls");
        }
        try (f) {
            SubstdioIn ss = new SubstdioIn(f, 8192);
            for (;;) {
                ByteBuf line = new ByteBuf(LINE_MAX);
                SubstdioIn.Line r = ss.getline(line, (byte) '\n', LINE_MAX - 1);
                if (r == SubstdioIn.Line.TOO_LONG) {
                    throw new Die("out of memory");
                }
                if (r == SubstdioIn.Line.LINE) {
                    line.append('\n');
                }
                h.line(line.toByteArray());
                if (r != SubstdioIn.Line.LINE) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new Die("unable to read input");
        }
    }

    private void put(byte[] b) throws Die {
        try {
            out.put(b);
        } catch (IOException e) {
            throw new Die("unable to write output");
        }
    }

    private void put(String s) throws Die {
        put(Bytes.ascii(s));
    }

    /** {@code doaccount}: one passwd line (with its LF, if it had one). */
    private void account(byte[] line) throws Die, IOException {
        if (Bytes.indexOf(line, 0) >= 0) {
            return;
        }
        String[] f = Bytes.str(line).split(":", -1);
        if (f.length < 7) {
            return;
        }
        String user = f[0];
        String uidstr = f[2];
        String gidstr = f[3];
        String home = f[5];
        long[] uid = new long[1];
        Scan.ulong(Bytes.ascii(uidstr), 0, uidstr.length(), uid);
        if (uid[0] == 0) {
            return;
        }
        if (noUpper) {
            for (char ch : user.toCharArray()) {
                if (ch >= 'A' && ch <= 'Z') {
                    return;
                }
            }
        }
        if (include != null && !include.contains(Bytes.ascii(user))) {
            return;
        }
        if (exclude != null && exclude.contains(Bytes.ascii(user))) {
            return;
        }
        if (homeStrategy != 0 && !homeOwned(home, uid[0])) {
            return;
        }
        String uugh = ":" + user + ":" + uidstr + ":" + gidstr + ":" + home + ":";
        allusers.put(user.toLowerCase(java.util.Locale.ROOT), Bytes.ascii(uugh));
        if (user.equals(auto.user(Auto.ALIAS))) {
            put("+" + uugh + dash + ":\n");
            alias = true;
        }
        byte[] names = mailnames == null ? null : mailnames.get(Bytes.ascii(user));
        String list = names == null ? user : Bytes.str(names);
        for (String m : list.split(":")) {
            if (m.isEmpty()) {
                continue;
            }
            put("=" + m + uugh + "::\n");
            if (brk != 0) {
                put("+" + m + (char) (brk & 0xff) + uugh + dash + ":\n");
            }
        }
    }

    private boolean homeOwned(String home, long uid) throws Die {
        Object owner;
        try {
            owner = Files.getAttribute(Paths.get(home), "unix:uid");
        } catch (NoSuchFileException e) {
            if (homeStrategy == 1) {
                throw new Die("unable to stat " + home);
            }
            return false;
        } catch (IOException | RuntimeException e) {
            if (Errors.errno(e) == Errors.ENOENT && homeStrategy != 1) {
                return false;
            }
            throw new Die("unable to stat " + home);
        }
        return ((Integer) owner).longValue() == (uid & 0xffffffffL);
    }

    /** {@code dosubuser}: {@code sub:user:pre:}. */
    private void subuser(byte[] line) throws Die {
        String[] f = Bytes.str(line).split(":", -1);
        if (f.length < 4) {
            return;
        }
        byte[] uugh = allusers.get(f[1].toLowerCase(java.util.Locale.ROOT));
        if (uugh == null) {
            throw new Die("unable to find " + f[1] + " user for subuser");
        }
        String u = Bytes.str(uugh);
        put("=" + f[0] + u + dash + f[2] + ":\n");
        if (brk != 0) {
            put("+" + f[0] + (char) (brk & 0xff) + u + dash + f[2] + "-:\n");
        }
    }
}
