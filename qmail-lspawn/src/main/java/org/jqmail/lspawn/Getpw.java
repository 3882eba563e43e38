package org.jqmail.lspawn;

import java.io.IOException;
import org.jqmail.control.Auto;
import org.jqmail.control.Report;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;
import org.jqmail.io.nat.Posix;

/**
 * qmail-getpw's rules (qmail-getpw(8)): the longest prefix of the local part that ends at its end
 * or before a {@code -}, is shorter than 32 bytes, names (lowercased) an account with a non-zero
 * uid that owns its home directory, receives the mail, with the rest as its extension;
 * otherwise the alias user receives it with the whole local part as extension.
 */
final class Getpw {
    static final int USERLEN = 32;

    private final Accounts accounts;
    private final String alias;

    Getpw(Accounts accounts, String alias) {
        this.accounts = accounts;
        this.alias = alias;
    }

    /** The assignment for {@code local}, or a {@code qlx.h} exit code. */
    Assignment lookup(byte[] local) throws Qlx {
        try {
            for (int ext = local.length; ext >= 0; ext--) {
                if (ext < USERLEN && (ext == local.length || local[ext] == Auto.BREAK)) {
                    Posix.Passwd pw = accounts.getpwnam(Bytes.str(Bytes.lower(Bytes.sub(local, 0, ext))));
                    if (pw != null && pw.uid() != 0 && ownsHome(pw)) {
                        boolean whole = ext == local.length;
                        return of(pw, whole ? "" : "-", whole ? new byte[0] : Bytes.sub(local, ext + 1));
                    }
                }
            }
            Posix.Passwd pw = accounts.getpwnam(alias);
            if (pw == null) {
                throw new Qlx(Report.QLX_NOALIAS);
            }
            return of(pw, "-", local);
        } catch (IOException e) {
            throw new Qlx(Report.QLX_SYS);
        }
    }

    private boolean ownsHome(Posix.Passwd pw) throws Qlx {
        try {
            return accounts.owner(pw.home()) == pw.uid();
        } catch (IOException e) {
            if (Errors.isTemporary(e)) {
                throw new Qlx(Report.QLX_NFS);
            }
            return false;
        }
    }

    private static Assignment of(Posix.Passwd pw, String dash, byte[] ext) {
        return new Assignment(Bytes.ascii(pw.name()), pw.uid(), pw.gid(), Bytes.ascii(pw.home()),
                Bytes.ascii(dash), ext);
    }
}
