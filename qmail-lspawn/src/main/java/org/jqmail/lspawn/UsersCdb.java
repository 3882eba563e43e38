package org.jqmail.lspawn;

import java.io.IOException;
import java.nio.file.Path;
import org.jqmail.control.Cdb;
import org.jqmail.control.Report;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;

/**
 * The {@code users/cdb} lookup of qmail-lspawn (qmail-users(5)): the exact key
 * {@code !local\0} first, then wildcard prefixes {@code !loc} from the longest down, trying a
 * prefix only when it is {@code !} alone or ends in one of the wildcard characters stored under
 * the empty key. For a wildcard hit the rest of the original local part extends the ext field.
 */
final class UsersCdb {
    private static final int NUGHDE_MAX = 64 * 1024;

    private final Path cdb;

    UsersCdb(Path cdb) {
        this.cdb = cdb;
    }

    /**
     * The assignment's six fields with their final NUL, or null if {@code users/cdb} does not
     * exist or has no matching key. Read errors are {@code QLX_CDB}.
     */
    byte[] find(byte[] local) throws Qlx {
        byte[] lower = Bytes.concat(Bytes.ascii("!"), Bytes.lower(local), new byte[] {0});
        try (Cdb c = Cdb.openIfExists(cdb)) {
            if (c == null) {
                return null;
            }
            byte[] wild = c.find(new byte[0]);
            if (wild == null) {
                throw new Qlx(Report.QLX_CDB);
            }
            boolean flagwild = false;
            for (int i = lower.length; i > 0; i--) {
                if (!flagwild || i == 1 || Bytes.indexOf(wild, lower[i - 1]) >= 0) {
                    byte[] v = c.find(lower, 0, i);
                    if (v != null) {
                        ByteBuf b = new ByteBuf(NUGHDE_MAX);
                        b.append(v);
                        if (flagwild) {
                            b.append(local, i - 1, local.length - (i - 1));
                        }
                        b.append(0);
                        return b.toByteArray();
                    }
                }
                flagwild = true;
            }
            return null;
        } catch (IOException | ByteBuf.Overflow e) {
            throw new Qlx(Report.QLX_CDB);
        }
    }
}
