package org.jqmail.lspawn;

import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.Report;
import org.jqmail.io.Bytes;
import org.jqmail.io.Scan;

/**
 * Who receives mail for a local part (qmail-users(5), qmail-getpw(8)): the six fields
 * {@code user\0uid\0gid\0home\0dash\0ext\0} that a {@code users/cdb} record or qmail-getpw's
 * output carries ("nughde" in qmail-lspawn.c).
 */
record Assignment(byte[] user, int uid, int gid, byte[] home, byte[] dash, byte[] ext) {
    /**
     * Splits the six NUL-terminated fields as qmail-lspawn does: a missing NUL is
     * {@code QLX_USAGE}; uid and gid are {@code scan_ulong}'s leading digits cast to a C int.
     */
    static Assignment parse(byte[] nughde) throws Qlx {
        List<byte[]> f = new ArrayList<>(6);
        int start = 0;
        for (int i = 0; i < 6; i++) {
            int nul = Bytes.indexOf(nughde, 0, start);
            if (nul < 0) {
                throw new Qlx(Report.QLX_USAGE);
            }
            f.add(Bytes.sub(nughde, start, nul));
            start = nul + 1;
        }
        return new Assignment(f.get(0), num(f.get(1)), num(f.get(2)), f.get(3), f.get(4), f.get(5));
    }

    private static int num(byte[] s) {
        long[] v = new long[1];
        Scan.ulong(s, 0, s.length, v);
        return (int) v[0];
    }

    /** The wire form, as qmail-getpw prints it. */
    byte[] encode() {
        return Bytes.concat(user, new byte[] {0}, Bytes.ascii(Integer.toUnsignedString(uid)), new byte[] {0},
                Bytes.ascii(Integer.toUnsignedString(gid)), new byte[] {0}, home, new byte[] {0}, dash,
                new byte[] {0}, ext, new byte[] {0});
    }
}
