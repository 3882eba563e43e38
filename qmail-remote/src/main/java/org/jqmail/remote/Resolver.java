package org.jqmail.remote;

import java.util.List;

/**
 * The two DNS questions qmail-remote asks, with qmail's three outcomes: an answer, a temporary
 * failure ({@code DNS_SOFT}) or a permanent one ({@code DNS_HARD}).
 *
 * <p>As with {@code res_query} in {@code dns.c}: NXDOMAIN, "no data" (NOERROR with an empty
 * answer section) and other refusals are hard; SERVFAIL, timeouts, unreachable servers and
 * malformed answers are soft. An answer is never rewritten through CNAMEs: the records of the
 * wanted type in the answer section are returned, whatever their owner name (qmail-remote(8)).
 */
public interface Resolver {
    /** One MX record: its preference and the exchanger's name (presentation form, no final dot). */
    record Mx(int pref, byte[] name) {
    }

    /** A temporary failure ({@code DNS_SOFT}). */
    final class SoftFail extends Exception {
        private static final long serialVersionUID = 1L;

        public SoftFail(String why) {
            super(why, null, false, false);
        }
    }

    /** A permanent failure ({@code DNS_HARD}). */
    final class HardFail extends Exception {
        private static final long serialVersionUID = 1L;

        public HardFail(String why) {
            super(why, null, false, false);
        }
    }

    /** The MX records of {@code name}; possibly empty (e.g. the answer held only a CNAME). */
    List<Mx> mx(byte[] name) throws SoftFail, HardFail;

    /** The IPv4 addresses of {@code name}; possibly empty. */
    int[] a(byte[] name) throws SoftFail, HardFail;
}
