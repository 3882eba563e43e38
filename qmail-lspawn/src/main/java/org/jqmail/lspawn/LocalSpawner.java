package org.jqmail.lspawn;

import java.nio.file.Path;
import java.util.List;
import org.jqmail.control.Report;
import org.jqmail.control.SpawnLoop;
import org.jqmail.io.Bytes;

/**
 * qmail-lspawn's per-delivery work (qmail-lspawn(8), {@code spawn()} and {@code nughde_get()}):
 * split the recipient at its last {@code @}, find the receiving user ({@code users/cdb}, then
 * qmail-getpw's rules), refuse uid 0, and run qmail-local as that user; the outcome becomes
 * the report of doc/PROTOCOLS.md §3 through {@code Report.lspawn}.
 */
final class LocalSpawner implements SpawnLoop.Spawner {
    private final UsersCdb users;
    private final Getpw getpw;
    private final LocalRunner runner;
    private final byte[] aliasempty;
    private final int selfUid;

    /**
     * @param selfUid in a single-user install, this process's uid (every delivery runs as it);
     *     -1 when deliveries change to the recipient's uid
     */
    LocalSpawner(UsersCdb users, Getpw getpw, LocalRunner runner, byte[] aliasempty, int selfUid) {
        this.users = users;
        this.getpw = getpw;
        this.runner = runner;
        this.aliasempty = aliasempty;
        this.selfUid = selfUid;
    }

    @Override
    public byte[] deliver(int slot, Path message, byte[] sender, byte[] recipient, int at) {
        byte[] local = Bytes.sub(recipient, 0, at);
        if (local.length == 0 || local[0] == 0) {
            return Bytes.ascii("K");
        }
        // A C string ends at its first NUL; the spawn protocol cannot carry one anyway.
        int nul = Bytes.indexOf(local, 0);
        if (nul >= 0) {
            local = Bytes.sub(local, 0, nul);
        }
        Assignment a;
        try {
            a = lookup(local);
        } catch (Qlx q) {
            return Report.lspawn(false, q.code(), new byte[0], 0);
        }
        if ((selfUid >= 0 ? selfUid : a.uid()) == 0) {
            return Report.lspawn(false, Report.QLX_ROOT, new byte[0], 0);
        }
        List<byte[]> args = List.of(a.user(), a.home(), local, a.dash(), a.ext(),
                Bytes.sub(recipient, at + 1), sender, aliasempty);
        LocalRunner.Outcome o = runner.run(a.uid(), a.gid(), args, message);
        return Report.lspawn(o.crashed(), o.code(), o.output(), o.output().length);
    }

    /** users/cdb first, then qmail-getpw's rules. */
    Assignment lookup(byte[] local) throws Qlx {
        byte[] nughde = users.find(local);
        if (nughde != null) {
            return Assignment.parse(nughde);
        }
        return getpw.lookup(local);
    }
}
