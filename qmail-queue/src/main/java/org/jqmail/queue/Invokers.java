package org.jqmail.queue;

import org.jqmail.io.Bytes;
import org.jqmail.io.Fmt;

/**
 * The WHO of qmail-queue's Received line (doc/PROTOCOLS.md §2.3), from the submitter's real uid:
 * {@code by alias}, {@code from network} (qmaild), {@code for bounce} (qmails), otherwise
 * {@code by uid N}. The three uids are looked up once, by name, when the server starts.
 *
 * <p>See also: {@code qmail-queue.c} {@code receivedfmt}.
 */
final class Invokers {
    private static final byte[] BY_ALIAS = Bytes.ascii("by alias");
    private static final byte[] FROM_NETWORK = Bytes.ascii("from network");
    private static final byte[] FOR_BOUNCE = Bytes.ascii("for bounce");

    private final long uida;
    private final long uidd;
    private final long uids;

    Invokers(long uida, long uidd, long uids) {
        this.uida = uida;
        this.uidd = uidd;
        this.uids = uids;
    }

    byte[] who(long uid) {
        if (uid == uida) {
            return BY_ALIAS;
        }
        if (uid == uidd) {
            return FROM_NETWORK;
        }
        if (uid == uids) {
            return FOR_BOUNCE;
        }
        return Bytes.concat(Bytes.ascii("by uid "), Fmt.ulong(uid));
    }
}
