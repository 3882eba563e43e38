package org.jqmail.queue;

import java.util.HashMap;
import java.util.Map;

/**
 * How many connections each submitting uid may hold on qmail-queued's socket at once, so that
 * no local user can take the queue away from another: with C qmail every submission is a
 * qmail-queue process of its own, and one user's stuck submissions stop nobody else's.
 *
 * <p>Two classes of uid. The system's own submitters (root, and the {@code alias},
 * {@code qmaild} and {@code qmails} accounts: forwarding, SMTP and bounces) each get
 * {@code perTrusted} connections. Every other uid gets {@code perUser}, and all of them
 * together {@code users}: no number of ordinary users can take a connection from the system
 * accounts, and one ordinary user can hold no more than its own share.
 *
 * <p>{@link #enter} never waits: a connection over a limit is refused at once by the caller.
 * Thread-safe.
 */
final class Admission {
    private final long[] trusted;
    private final int perTrusted;
    private final int perUser;
    private final int users;
    /** Connections held per uid; a uid with none has no entry. */
    private final Map<Long, Integer> held = new HashMap<>();
    private int usersHeld;

    /**
     * @param trusted    the uids of root, alias, qmaild and qmails
     * @param perTrusted connections each trusted uid may hold
     * @param perUser    connections each other uid may hold
     * @param users      connections all other uids together may hold
     */
    Admission(long[] trusted, int perTrusted, int perUser, int users) {
        this.trusted = trusted.clone();
        this.perTrusted = perTrusted;
        this.perUser = perUser;
        this.users = users;
    }

    boolean trusted(long uid) {
        for (long t : trusted) {
            if (t == uid) {
                return true;
            }
        }
        return false;
    }

    /** Takes a place for one connection of {@code uid}; false if that is over a limit. */
    synchronized boolean enter(long uid) {
        boolean t = trusted(uid);
        int n = held.getOrDefault(uid, 0);
        if (n >= (t ? perTrusted : perUser) || !t && usersHeld >= users) {
            return false;
        }
        held.put(uid, n + 1);
        if (!t) {
            usersHeld++;
        }
        return true;
    }

    /** Gives back the place of one connection of {@code uid} taken by {@link #enter}. */
    synchronized void leave(long uid) {
        int n = held.getOrDefault(uid, 0);
        if (n <= 1) {
            held.remove(uid);
        } else {
            held.put(uid, n - 1);
        }
        if (n > 0 && !trusted(uid)) {
            usersHeld--;
        }
    }

    /** Connections {@code uid} holds now (tests). */
    synchronized int held(long uid) {
        return held.getOrDefault(uid, 0);
    }
}
