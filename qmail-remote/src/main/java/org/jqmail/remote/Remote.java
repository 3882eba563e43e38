package org.jqmail.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.jqmail.control.Control;
import org.jqmail.control.Failure;
import org.jqmail.control.Quote;
import org.jqmail.control.TempFail;
import org.jqmail.io.Bytes;
import org.jqmail.io.Errors;

/**
 * One run of qmail-remote as a library call (qmail-remote(8)): the standalone
 * {@code bin/qmail-remote} calls it with fd 0 and fd 1, qmail-rspawn calls it on its delivery
 * threads with the message file and a buffer.
 *
 * <p>Synopsis: {@link #run}{@code (host, sender, recipients, message, output)} with the
 * environment of {@link Env}: QMAILHOME, the resolver, the local addresses, the timeout table,
 * the clock, the pid and how to connect.
 *
 * <p>Behaviour: reads the controls, picks the route or looks up the MX and A records, drops
 * local addresses, tries each remaining address in order (skipping those the timeout table
 * marks, recording connect timeouts there), and on the first connection runs the SMTP
 * dialogue, or the QMTP one ({@link Qmtp}) when {@code control/qmtproutes} names the host
 * (doc/QMTP.md §7); it never tries another host after connecting. The output is always complete: the
 * recipient records and exactly one message record, or nothing more once writing it failed.
 *
 * <p>See also: {@code qmail-remote.c}, {@code qmail-remote(8)}.
 */
public final class Remote {
    /**
     * What a run needs besides its arguments.
     *
     * @param home QMAILHOME (qmail-remote's {@code chdir(auto_qmail)})
     * @param ipme the local addresses, or null to read the interfaces at each run
     * @param now seconds since the epoch
     * @param pid qmail's {@code getpid()}, for the MX tie-break seed and the tcpto window
     * @param defaultPort the port for MX and A deliveries (25; tests may use another)
     */
    public record Env(Path home, Resolver resolver, Ipme ipme, Tcpto.Store tcpto, LongSupplier now,
                      long pid, Connector connector, int defaultPort) {
    }

    private final Env env;

    public Remote(Env env) {
        this.env = env;
    }

    /**
     * Delivers {@code message} to {@code recips} at {@code host} and writes the report records
     * to {@code out}. Never throws: a failure to write the output just ends the run, as qmail
     * exits 0 when it cannot write.
     */
    public void run(byte[] host, byte[] sender, List<byte[]> recips, InputStream message, OutputStream out) {
        run(host, sender, recips, message, () -> -1, out);
    }

    /**
     * As {@link #run(byte[], byte[], List, InputStream, OutputStream)}, for a message whose
     * remaining length {@code size} gives (-1: unknown), which QMTP needs before sending; it is
     * asked only then, before the first read.
     */
    public void run(byte[] host, byte[] sender, List<byte[]> recips, InputStream message, LongSupplier size,
                    OutputStream out) {
        Reports reports = new Reports(out);
        try {
            byte[] text;
            try {
                text = deliver(host, sender, recips, new Message(message, size), reports);
                reports.message((byte) 'K', text);
            } catch (Failure f) {
                reports.message(f.letter(), f.text());
            } catch (OutOfMemoryError e) {
                reports.message((byte) 'Z', Trouble.tempNomem().text());
            } catch (RuntimeException | Error e) {
                reports.crash();
            }
        } catch (IOException e) {
            // Output gone: qmail-remote exits 0 silently.
        }
    }

    /** The message and its remaining length (-1: unknown). */
    record Message(InputStream in, LongSupplier size) {
    }

    private byte[] deliver(byte[] host0, byte[] sender0, List<byte[]> recips0, Message message,
                           Reports reports) throws Failure, IOException {
        if (recips0.isEmpty()) {
            throw Trouble.permUsage();
        }
        if (!Files.isDirectory(env.home())) {
            throw Trouble.tempChdir();
        }
        RemoteControls ctl = RemoteControls.read(Control.forHome(env.home()));
        byte[] host = host0;
        byte[] qmtproute = Route.find(ctl.qmtproutes(), host);
        boolean qmtp = qmtproute != null;
        int port = qmtp ? Route.QMTP_PORT : env.defaultPort();
        Route.Relay relay = qmtp ? Route.relay(qmtproute, Route.QMTP_PORT) : Route.select(ctl.routes(), host);
        if (relay != null) {
            host = relay.host();
            port = relay.port();
        }
        byte[] sender = addrmangle(sender0);
        Ipme ipme = ipme();
        List<byte[]> recips = new ArrayList<>(recips0.size());
        for (byte[] r : recips0) {
            recips.add(addrmangle(r));
        }
        List<Dns.IpMx> ips = lookup(relay != null, host);
        if (qmtp) {
            return connect(ips, relay != null, ipme, port, ctl, new Dialogue(sender0, recips0, message, null, true),
                    reports);
        }
        ClientTls tls;
        try {
            tls = ClientTls.load(env.home(), host);
        } catch (IOException | RuntimeException e) {
            throw Trouble.tempTls(e);
        }
        return connect(ips, relay != null, ipme, port, ctl, new Dialogue(sender, recips, message, tls, false),
                reports);
    }

    private Ipme ipme() throws TempFail {
        if (env.ipme() != null) {
            return env.ipme();
        }
        try {
            return Ipme.local();
        } catch (IOException e) {
            throw Trouble.tempOserr();
        }
    }

    /**
     * {@code addrmangle} without CNAME canonicalisation (as notqmail; RFC 5321 §5.1): the local
     * part quoted, the domain verbatim; an address without {@code @} is used as it is.
     */
    static byte[] addrmangle(byte[] s) {
        int at = Bytes.lastIndexOf(s, '@');
        if (at < 0) {
            return s;
        }
        return Bytes.concat(Quote.quote(s, 0, at), Bytes.sub(s, at));
    }

    private List<Dns.IpMx> lookup(boolean relay, byte[] host) throws Failure {
        long random = env.now().getAsLong() + (long) ((int) env.pid() << 16);
        List<Dns.IpMx> ips;
        try {
            if (relay) {
                ips = Dns.ip(env.resolver(), host);
            } else {
                Dns.MxIp m = Dns.mxip(env.resolver(), host, random);
                if (m.soft() && m.ips().isEmpty()) {
                    throw Trouble.tempDns();
                }
                ips = m.ips();
            }
        } catch (Resolver.SoftFail e) {
            throw Trouble.tempDns();
        } catch (Resolver.HardFail e) {
            throw Trouble.permDns(host);
        }
        if (ips.isEmpty()) {
            throw Trouble.permNomx();
        }
        return ips;
    }

    /**
     * What to say once connected: the addresses (quoted for SMTP, as they are for QMTP), the
     * message, the TLS policy (SMTP only) and whether to speak QMTP.
     */
    private record Dialogue(byte[] sender, List<byte[]> recips, Message message, ClientTls tls, boolean qmtp) {
    }

    private byte[] connect(List<Dns.IpMx> ips, boolean relay, Ipme ipme, int port, RemoteControls ctl, Dialogue d,
                           Reports reports) throws Failure, IOException {
        long prefme = 100000;
        for (Dns.IpMx x : ips) {
            if (ipme.is(x.ip()) && x.pref() < prefme) {
                prefme = x.pref();
            }
        }
        if (relay) {
            prefme = 300000;
        }
        boolean any = false;
        for (Dns.IpMx x : ips) {
            any |= x.pref() < prefme;
        }
        if (!any) {
            throw Trouble.permAmbigmx();
        }
        Tcpto tcpto = new Tcpto(env.tcpto(), env.now(), env.pid());
        for (Dns.IpMx x : ips) {
            if (x.pref() >= prefme || tcpto.skip(x.ip())) {
                continue;
            }
            Connector.Connection c;
            try {
                c = env.connector().connect(x.ip(), port, ctl.timeoutConnect(), ctl.timeoutRemote());
            } catch (Connector.NoSocket e) {
                throw Trouble.tempOserr();
            } catch (IOException e) {
                tcpto.err(x.ip(), e instanceof SocketTimeoutException
                        || Errors.errno(e) == Errors.ETIMEDOUT);
                continue;
            }
            try {
                tcpto.err(x.ip(), false);
                if (d.qmtp()) {
                    return Qmtp.send(c, reports, x.ip(), d.sender(), d.recips(), d.message());
                }
                return new Smtp(c, reports, x.ip(), d.tls(), port).run(ctl.helohost(), d.sender(), d.recips(),
                        d.message().in());
            } finally {
                c.close();
            }
        }
        throw Trouble.tempNoconn();
    }
}
