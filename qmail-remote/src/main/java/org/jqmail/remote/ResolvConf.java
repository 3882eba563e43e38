package org.jqmail.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Scan;
import org.jqmail.io.SubstdioIn;

/**
 * The resolver configuration qmail-remote uses, as the C library's {@code res_init} reads it:
 * up to three {@code nameserver} lines of {@code /etc/resolv.conf} (127.0.0.1 if there is
 * none), and {@code options timeout:N attempts:N} (defaults 5 and 2). Search domains are not
 * used: qmail asks with {@code res_query}, which does not search.
 *
 * <p>The environment variable {@value #ENV_SERVER} replaces the name servers with its own list,
 * {@code ADDR[:PORT]} or {@code [ADDR6]:PORT}, comma-separated; the integration tests use it to
 * point both qmail-remote and qmail-rspawn at a dnsmasq on a loopback port. It is unset in
 * production, where {@code /etc/resolv.conf} rules as for any other program.
 *
 * <p>See also: {@code resolv.conf(5)}, {@code dns.c} {@code dns_init}.
 */
public record ResolvConf(List<InetSocketAddress> servers, int timeout, int attempts) {
    /** Name servers for tests: {@code ADDR[:PORT],...}. */
    public static final String ENV_SERVER = "JQMAIL_DNS_SERVER";
    static final int MAXNS = 3;
    private static final int FILE_MAX = 64 * 1024;

    /** {@code /etc/resolv.conf}, unless {@value #ENV_SERVER} is set. */
    public static ResolvConf system(String envServer) {
        ResolvConf rc = read(Path.of("/etc/resolv.conf"));
        if (envServer != null && !envServer.isEmpty()) {
            List<InetSocketAddress> l = new ArrayList<>();
            for (String s : envServer.split(",")) {
                InetSocketAddress a = server(s.trim());
                if (a != null) {
                    l.add(a);
                }
            }
            if (!l.isEmpty()) {
                return new ResolvConf(List.copyOf(l), rc.timeout(), rc.attempts());
            }
        }
        return rc;
    }

    /** Parses a resolv.conf file; a missing or unreadable one gives the defaults. */
    public static ResolvConf read(Path p) {
        List<InetSocketAddress> servers = new ArrayList<>();
        int[] opt = {5, 2};
        try (InputStream in = Files.newInputStream(p)) {
            SubstdioIn ss = new SubstdioIn(in, 4096);
            ByteBuf line = new ByteBuf(FILE_MAX);
            long total = 0;
            for (;;) {
                line.clear();
                SubstdioIn.Line r = ss.getline(line, (byte) '\n', FILE_MAX);
                if (r == SubstdioIn.Line.EOF || r == SubstdioIn.Line.TOO_LONG) {
                    break;
                }
                total += line.length();
                parseLine(line.toString(), servers, opt);
                if (r == SubstdioIn.Line.PARTIAL || total > FILE_MAX) {
                    break;
                }
            }
        } catch (IOException e) {
            // The C library carries on with its defaults too.
        }
        if (servers.isEmpty()) {
            servers.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53));
        }
        return new ResolvConf(List.copyOf(servers), opt[0], opt[1]);
    }

    private static void parseLine(String line, List<InetSocketAddress> servers, int[] opt) {
        String[] w = line.trim().split("[ \t]+");
        if (w.length < 2 || w[0].startsWith("#") || w[0].startsWith(";")) {
            return;
        }
        if (w[0].equals("nameserver") && servers.size() < MAXNS) {
            InetAddress a = literal(w[1]);
            if (a != null) {
                servers.add(new InetSocketAddress(a, 53));
            }
        } else if (w[0].equals("options")) {
            for (int i = 1; i < w.length; i++) {
                if (w[i].startsWith("timeout:")) {
                    opt[0] = bounded(w[i].substring(8), 1, 30, opt[0]);
                } else if (w[i].startsWith("attempts:")) {
                    opt[1] = bounded(w[i].substring(9), 1, 5, opt[1]);
                }
            }
        }
    }

    private static int bounded(String s, int min, int max, int dflt) {
        long[] v = new long[1];
        byte[] b = Bytes.ascii(s);
        if (Scan.ulongChecked(b, 0, b.length, v) <= 0) {
            return dflt;
        }
        return (int) Math.max(min, Math.min(max, v[0]));
    }

    /** {@code ADDR}, {@code ADDR:PORT} or {@code [ADDR6]:PORT}; null if not an address literal. */
    static InetSocketAddress server(String s) {
        int port = 53;
        String host = s;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = s.substring(1, close);
            if (s.length() > close + 1) {
                if (s.charAt(close + 1) != ':') {
                    return null;
                }
                port = (int) Scan.strict(s.substring(close + 2));
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            port = (int) Scan.strict(s.substring(s.indexOf(':') + 1));
        }
        InetAddress a = literal(host);
        if (a == null || port <= 0 || port > 65535) {
            return null;
        }
        return new InetSocketAddress(a, port);
    }

    /** An IPv4 or IPv6 literal, never a name (no lookup is made). */
    static InetAddress literal(String s) {
        if (s.isEmpty() || !s.matches("[0-9A-Fa-f.:%a-zA-Z]+") || (s.indexOf(':') < 0 && !s.matches("[0-9.]+"))) {
            return null;
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
