package org.jqmail.remote;

import java.io.IOException;
import org.jqmail.control.ConstMap;
import org.jqmail.control.Control;
import org.jqmail.control.TempFail;

/**
 * The control files qmail-remote reads at every run (qmail-remote(8)): {@code helohost} (default
 * {@code me}; one of them must exist), {@code timeoutremote} (default 1200 s),
 * {@code timeoutconnect} (default 60 s), {@code smtproutes}, and this project's
 * {@code qmtproutes} (doc/QMTP.md §7). Any read error, or neither
 * {@code helohost} nor {@code me}, is {@code Unable to read control files.}
 *
 * <p>See also: {@code qmail-remote.c} {@code getcontrols()}, {@code qmail-control(5)}.
 */
public record RemoteControls(byte[] helohost, int timeoutRemote, int timeoutConnect, ConstMap routes,
                             ConstMap qmtproutes) {
    public static final int DEFAULT_TIMEOUT_REMOTE = 1200;
    public static final int DEFAULT_TIMEOUT_CONNECT = 60;

    /** Reads the controls in qmail's order. */
    public static RemoteControls read(Control c) throws TempFail {
        try {
            c.me();
            int timeout = c.readInt("timeoutremote", DEFAULT_TIMEOUT_REMOTE);
            int timeoutconnect = c.readInt("timeoutconnect", DEFAULT_TIMEOUT_CONNECT);
            byte[] helohost = c.rldef("helohost", true, (byte[]) null);
            if (helohost == null) {
                throw Trouble.tempControl();
            }
            ConstMap routes = c.readColonMap("smtproutes");
            ConstMap qmtproutes = c.readColonMap("qmtproutes");
            return new RemoteControls(helohost, timeout, timeoutconnect, routes, qmtproutes);
        } catch (IOException | RuntimeException e) {
            throw Trouble.tempControl();
        }
    }
}
