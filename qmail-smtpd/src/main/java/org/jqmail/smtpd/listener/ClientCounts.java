package org.jqmail.smtpd.listener;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The listener's connections per client address, for the per-address limit ({@code
 * MAXCONNIP}, as the tcpserver limits patch names it; Postfix's {@code
 * smtpd_client_connection_count_limit}): one client holding many idle connections must not
 * take the places of every other client. Thread-safe; {@link #enter} never waits.
 */
final class ClientCounts {
    private final Map<InetAddress, Integer> open = new HashMap<>();

    /** Counts one more connection of {@code ip} if it has fewer than {@code max}; else false. */
    synchronized boolean enter(InetAddress ip, long max) {
        int n = open.getOrDefault(ip, 0);
        if (n >= max) {
            return false;
        }
        open.put(ip, n + 1);
        return true;
    }

    /** One connection of {@code ip} counted by {@link #enter} has ended. */
    synchronized void leave(InetAddress ip) {
        int n = open.getOrDefault(ip, 0);
        if (n <= 1) {
            open.remove(ip);
        } else {
            open.put(ip, n - 1);
        }
    }

    /** The connections of {@code ip} counted now (tests). */
    synchronized int count(InetAddress ip) {
        return open.getOrDefault(ip, 0);
    }
}
