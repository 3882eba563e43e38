package org.jqmail.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.jqmail.control.CdbMake;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;

/**
 * qmail-newu's conversion of {@code users/assign} into {@code users/cdb} (qmail-users(5)): one
 * record per {@code =} or {@code +} line, keys {@code !local\0} and {@code !prefix}, values the six
 * fields, and the empty key holding the wildcard characters; written to {@code users/cdb.tmp}
 * (mode 0644, umask 033), fsynced and renamed over {@code users/cdb}.
 */
final class Newu {
    /** A fatal error; the message is qmail-newu's text without its prefix. */
    static final class Fatal extends Exception {
        private static final long serialVersionUID = 1L;

        Fatal(String m) {
            super(m, null, false, false);
        }
    }

    static final int LINE_MAX = 1024 * 1024;

    private Newu() {
    }

    /** Builds {@code users/cdb} from {@code users/assign} under {@code home}. */
    static void run(Path home) throws Fatal {
        if (!Files.isDirectory(home)) {
            throw new Fatal("unable to chdir");
        }
        Path users = home.resolve("users");
        Path tmp = users.resolve("cdb.tmp");
        try (InputStream in = open(users.resolve("assign"))) {
            CdbMake cdb;
            try {
                cdb = new CdbMake(tmp, tmp);
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (IOException e) {
                throw new Fatal("unable to open users/cdb.tmp");
            }
            try (CdbMake c = cdb) {
                convert(new SubstdioIn(in, 1024), c);
                c.finish();
            } catch (IOException e) {
                throw new Fatal("unable to write users/cdb.tmp");
            }
        } catch (IOException e) {
            throw new Fatal("unable to read users/assign");
        }
        try {
            Files.move(tmp, users.resolve("cdb"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            throw new Fatal("unable to move users/cdb.tmp to users/cdb");
        }
    }

    private static InputStream open(Path assign) throws Fatal {
        try {
            return Files.newInputStream(assign);
        } catch (IOException e) {
            throw new Fatal("unable to open users/assign");
        }
    }

    /** Reads assignments up to the {@code .} line and adds their records. */
    static void convert(SubstdioIn in, CdbMake cdb) throws Fatal, IOException {
        ByteBuf line = new ByteBuf(LINE_MAX);
        ByteBuf wild = new ByteBuf(256);
        for (;;) {
            line.clear();
            SubstdioIn.Line r;
            try {
                r = in.getline(line, (byte) '\n', LINE_MAX);
            } catch (IOException e) {
                throw new Fatal("unable to read users/assign");
            }
            if (r == SubstdioIn.Line.TOO_LONG) {
                throw new Fatal("out of memory");
            }
            if (line.length() > 0 && line.byteAt(0) == '.') {
                break;
            }
            if (r != SubstdioIn.Line.LINE) {
                throw new Fatal("bad format in users/assign");
            }
            byte[] l = line.toByteArray();
            if (Bytes.indexOf(l, 0) >= 0) {
                throw new Fatal("bad format in users/assign");
            }
            int i = Bytes.indexOf(l, ':');
            if (i <= 0) {
                throw new Fatal("bad format in users/assign");
            }
            byte[] key;
            if (l[0] == '+') {
                key = Bytes.lower(Bytes.concat(Bytes.ascii("!"), Bytes.sub(l, 1, i)));
                if (i >= 2 && wild.indexOf(l[i - 1], 0) < 0) {
                    wild.append(l[i - 1]);
                }
            } else {
                key = Bytes.lower(Bytes.concat(Bytes.ascii("!"), Bytes.sub(l, 1, i), new byte[] {0}));
            }
            cdb.add(key, data(Bytes.concat(Bytes.sub(l, i + 1), Bytes.ascii("\n"))));
        }
        cdb.add(new byte[0], wild.toByteArray());
    }

    /** The six fields: the first six colons become NULs and the sixth ends the value. */
    private static byte[] data(byte[] d) throws Fatal {
        int colons = 0;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == ':') {
                d[i] = 0;
                if (++colons == 6) {
                    return Bytes.sub(d, 0, i);
                }
            }
        }
        throw new Fatal("bad format in users/assign");
    }
}
