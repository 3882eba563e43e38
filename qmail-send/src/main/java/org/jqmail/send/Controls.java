package org.jqmail.send;

import java.io.IOException;
import java.util.List;
import org.jqmail.control.ConstMap;
import org.jqmail.control.Control;
import org.jqmail.io.Bytes;

/**
 * The control files qmail-send reads at start (qmail-send(8), {@code getcontrols}) and, on SIGHUP,
 * the two it rereads ({@code regetcontrols}): {@code locals} and {@code virtualdomains}.
 *
 * <p>A missing file means its default; an unreadable one (or one over {@code Control}'s
 * bounds) holds start-up ({@code alert: cannot start: unable to read controls}, said once,
 * and read again until it can be: {@link Send}) or, on SIGHUP, keeps the old values.
 */
final class Controls {
    static final String LOCALS = "locals";
    static final String VIRTUALDOMAINS = "virtualdomains";

    int lifetime = 604800;
    /** concurrencylocal, concurrencyremote as read (C ints; capped later by the spawns). */
    final int[] concurrency = {10, 20};
    byte[] envnoathost;
    byte[] bouncefrom;
    byte[] bouncehost;
    byte[] doublebouncehost;
    /** {@code doublebounceto@doublebouncehost}. */
    byte[] doublebounceto;
    ConstMap locals;
    ConstMap percenthack;
    ConstMap vdoms;

    /** {@code getcontrols}; throws if any file is unreadable or locals and me are both absent. */
    static Controls read(Control ctl) throws IOException {
        Controls c = new Controls();
        ctl.me();
        c.lifetime = ctl.readInt("queuelifetime", c.lifetime);
        c.concurrency[0] = ctl.readInt("concurrencylocal", c.concurrency[0]);
        c.concurrency[1] = ctl.readInt("concurrencyremote", c.concurrency[1]);
        c.envnoathost = ctl.rldef("envnoathost", true, "envnoathost");
        c.bouncefrom = ctl.rldef("bouncefrom", false, "MAILER-DAEMON");
        c.bouncehost = ctl.rldef("bouncehost", true, "bouncehost");
        c.doublebouncehost = ctl.rldef("doublebouncehost", true, "doublebouncehost");
        byte[] dbto = ctl.rldef("doublebounceto", false, "postmaster");
        c.doublebounceto = Bytes.concat(dbto, Bytes.ascii("@"), c.doublebouncehost);
        c.locals = readLocals(ctl);
        ConstMap ph = ctl.readSet("percenthack", false);
        c.percenthack = ph == null ? ConstMap.ofList(List.of()) : ph;
        c.vdoms = ctl.readColonMap(VIRTUALDOMAINS);
        return c;
    }

    private static ConstMap readLocals(Control ctl) throws IOException {
        ConstMap l = ctl.readSet(LOCALS, true);
        if (l == null) {
            throw new IOException("control/locals and control/me are both absent");
        }
        return l;
    }

    /**
     * {@code regetcontrols}: rereads locals and virtualdomains, logging qmail's alert and
     * keeping the old values if either is unreadable.
     */
    void reread(Control ctl, Log log) {
        ConstMap newLocals;
        try {
            newLocals = readLocals(ctl);
        } catch (IOException e) {
            log.line("alert: unable to reread control/locals");
            return;
        }
        ConstMap newVdoms;
        try {
            newVdoms = ctl.readColonMap(VIRTUALDOMAINS);
        } catch (IOException e) {
            log.line("alert: unable to reread control/virtualdomains");
            return;
        }
        locals = newLocals;
        vdoms = newVdoms;
    }
}
