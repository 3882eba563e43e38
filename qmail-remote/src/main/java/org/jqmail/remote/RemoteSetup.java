package org.jqmail.remote;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jqmail.io.Scan;

/**
 * Builds the {@link Remote.Env} of a real installation, for {@code bin/qmail-remote} and for
 * qmail-rspawn's in-process deliveries.
 *
 * <p>Environment variables (both unset in production):
 * <ul>
 *   <li>{@value ResolvConf#ENV_SERVER}: name servers to ask instead of those of
 *       {@code /etc/resolv.conf} (see {@link ResolvConf});</li>
 *   <li>{@value #ENV_PORT}: the port for deliveries found through MX or A records instead of
 *       25, so that tests can run the remote peer on an ephemeral loopback port.
 *       {@code smtproutes} ports are unaffected.</li>
 * </ul>
 *
 * <p>dnsjava is loaded on the first lookup only, so a run that needs none (a route to a dotted
 * quad) does not pay for it (doc/ARCHITECTURE.md §2).
 */
public final class RemoteSetup {
    /** Port for MX/A deliveries (tests only). */
    public static final String ENV_PORT = "JQMAIL_SMTP_PORT";

    /** Seconds since the epoch (an anonymous class: a lambda's bootstrap costs a lean start). */
    static final LongSupplier CLOCK = new LongSupplier() {
        @Override
        public long getAsLong() {
            return System.currentTimeMillis() / 1000;
        }
    };

    private RemoteSetup() {
    }

    /**
     * The environment for runs in this process.
     *
     * @param pid the pid qmail-remote would have; qmail-rspawn passes a distinct value per
     *     delivery so that the timeout-table windows and MX tie-breaks still vary
     * @param ipme fixed local addresses, or null to read the interfaces at every run
     * @param flock qmail's flock on the timeout table as well, or null (the lean program)
     */
    public static Remote.Env env(Path home, Map<String, String> environ, Resolver resolver, Ipme ipme, long pid,
                                 TcptoFile.Flock flock) {
        return new Remote.Env(home, resolver, ipme, TcptoFile.forHome(home, flock), CLOCK, pid, new TcpConnector(),
                port(environ.get(ENV_PORT)));
    }

    /** A resolver built from {@code /etc/resolv.conf} (or the test override) on first use. */
    public static Resolver resolver(Map<String, String> environ) {
        String server = environ.get(ResolvConf.ENV_SERVER);
        return new Resolver() {
            private volatile Resolver real;

            private Resolver real() {
                Resolver r = real;
                if (r == null) {
                    synchronized (this) {
                        r = real;
                        if (r == null) {
                            r = new DnsjavaResolver(ResolvConf.system(server));
                            real = r;
                        }
                    }
                }
                return r;
            }

            @Override
            public List<Mx> mx(byte[] name) throws SoftFail, HardFail {
                return real().mx(name);
            }

            @Override
            public int[] a(byte[] name) throws SoftFail, HardFail {
                return real().a(name);
            }
        };
    }

    static int port(String v) {
        if (v == null) {
            return Route.SMTP_PORT;
        }
        long p = Scan.strict(v);
        return p > 0 && p <= 65535 ? (int) p : Route.SMTP_PORT;
    }
}
