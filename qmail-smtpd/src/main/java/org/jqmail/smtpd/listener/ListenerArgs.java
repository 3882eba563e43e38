package org.jqmail.smtpd.listener;

import org.jqmail.io.Scan;

/**
 * The command line of qmail-smtpd-listener, tcpserver's options (tcpserver(1)) minus the
 * program to run: {@code [-1SUXpPhHrRoOdDqQv] [-c limit] [-x rules.cdb] [-B banner] [-g gid]
 * [-u uid] [-b backlog] [-l localname] [-t timeout] [host port [hostname checkpassword
 * subprogram...]]}, getopt style (flags may be
 * grouped, an option's value may follow in the same or the next argument). {@code -u} and
 * {@code -g} also take account and group names. Without host and port the listener serves only
 * the connections handed over by {@code bin/qmail-smtpd} under tcpserver ({@link Handoff}).
 *
 * <p>Two defaults differ from tcpserver's. The concurrency ({@code -c}) is {@link #LIMIT}, not
 * 40: a session costs a thread, not a process, and forty idle clients (tcpserver's whole
 * limit, for {@code timeoutsmtpd}'s 20 minutes each) should not stop the mail; each client
 * address is limited on its own ({@link Listener}, {@code MAXCONNIP}). The backlog ({@code -b})
 * is {@link #BACKLOG}, not 20. SMTP clients open connections in bursts (a sending MTA starts
 * its whole concurrency at once); a burst longer than the backlog makes the kernel drop SYNs,
 * and each dropped SYN costs its client a retransmission timeout of one second or more.
 *
 * <p>Words after host and port are qmail-smtpd's arguments for the sessions on that port, as
 * after tcpserver's program: {@code HOSTNAME CHECKPASSWORD SUBPROGRAM...} turns on SMTP AUTH
 * (doc/TLS.md §4). Hand-offs bring their own.
 *
 * <p>One option is the listener's own: {@code -S}, SMTPS (RFC 8314 implicit TLS, port 465):
 * every session on the port starts with the TLS handshake, as qmail-smtpd does with
 * {@code SMTPS} set (doc/TLS.md §3).
 *
 * <p>Accepted for compatibility and without effect: {@code -p}/{@code -P} (host names are
 * always checked forward by the JDK resolver), {@code -r} and {@code -t} (no IDENT look-ups:
 * TCPREMOTEINFO is never set), {@code -o}/{@code -O}.
 */
final class ListenerArgs {
    static final String USAGE = "usage: qmail-smtpd-listener [ -1SUXpPhHrRoOdDqQv ] [ -c limit ] [ -x rules.cdb ]"
            + " [ -B banner ] [ -g gid ] [ -u uid ] [ -b backlog ] [ -l localname ] [ -t timeout ] [ host port [ hostname checkpassword subprogram ... ] ]";

    /** A usage error (exit 100, as tcpserver). */
    static final class Usage extends Exception {
        private static final long serialVersionUID = 1L;

        Usage() {
            super(USAGE);
        }
    }

    /** The default backlog: room for a burst of connects well beyond the default limit. */
    static final int BACKLOG = 256;

    /** The default {@code -c}: threads are cheap, and idle clients should not fill it. */
    static final int LIMIT = 1000;

    int limit = LIMIT;
    int backlog = BACKLOG;
    String rules;
    boolean allowNoRules;
    String banner = "";
    String user;
    String group;
    boolean envUidGid;
    String localName;
    boolean remoteHost = true;
    boolean noDelay;
    boolean printPort;
    /** -S: implicit TLS on the port. */
    boolean smtps;
    /** 0 quiet, 1 errors (default), 2 status lines. */
    int verbosity = 1;
    /** null, with port, when there is no TCP port to serve (hand-offs only). */
    String host;
    String port;
    /** What follows host and port: qmail-smtpd's arguments for the port's sessions (AUTH). */
    java.util.List<String> smtpdArgs = java.util.List.of();

    static ListenerArgs parse(String[] argv) throws Usage {
        ListenerArgs a = new ListenerArgs();
        int i = 0;
        for (; i < argv.length; i++) {
            String s = argv[i];
            if (s.equals("--")) {
                i++;
                break;
            }
            if (!s.startsWith("-") || s.length() < 2) {
                break;
            }
            for (int k = 1; k < s.length(); k++) {
                char c = s.charAt(k);
                if ("cxBgublt".indexOf(c) >= 0) {
                    String v;
                    if (k + 1 < s.length()) {
                        v = s.substring(k + 1);
                    } else if (i + 1 < argv.length) {
                        v = argv[++i];
                    } else {
                        throw new Usage();
                    }
                    a.value(c, v);
                    break;
                }
                a.flag(c);
            }
        }
        if (argv.length - i >= 2) {
            a.host = argv[i];
            a.port = argv[i + 1];
            a.smtpdArgs = java.util.List.of(argv).subList(i + 2, argv.length);
        } else if (argv.length != i) {
            throw new Usage();
        }
        return a;
    }

    private static int positive(String v) throws Usage {
        long n = Scan.strict(v);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new Usage();
        }
        return (int) n;
    }

    private void value(char c, String v) throws Usage {
        switch (c) {
            case 'c': limit = positive(v); break;
            case 'x': rules = v; break;
            case 'B': banner = v; break;
            case 'g': group = v; break;
            case 'u': user = v; break;
            case 'b': backlog = positive(v); break;
            case 'l': localName = v; break;
            case 't': positive(v); break;
            default: throw new Usage();
        }
    }

    private void flag(char c) throws Usage {
        switch (c) {
            case '1': printPort = true; break;
            case 'S': smtps = true; break;
            case 'U': envUidGid = true; break;
            case 'X': allowNoRules = true; break;
            case 'h': remoteHost = true; break;
            case 'H': remoteHost = false; break;
            case 'D': noDelay = true; break;
            case 'd': noDelay = false; break;
            case 'q': verbosity = 0; break;
            case 'Q': verbosity = 1; break;
            case 'v': verbosity = 2; break;
            case 'p': case 'P': case 'r': case 'R': case 'o': case 'O': break;
            default: throw new Usage();
        }
    }
}
