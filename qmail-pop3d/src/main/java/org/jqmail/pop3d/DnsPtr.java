package org.jqmail.pop3d;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.jqmail.io.Bytes;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * qmail's {@code dns_ptr} for tcp-env, through dnsjava: the first PTR record of an address's
 * {@code in-addr.arpa} name, without its final dot. A timeout, an unreachable server or SERVFAIL
 * is temporary ({@link TcpEnviron#SOFT}); NXDOMAIN, no PTR record or any other answer is
 * nothing (null). The name servers are {@code /etc/resolv.conf}'s, or those of
 * {@code JQMAIL_DNS_SERVER=ADDR[:PORT]} (a test hook, as qmail-remote's).
 */
final class DnsPtr implements TcpEnviron.Ptr {
    static final String ENV_SERVER = "JQMAIL_DNS_SERVER";

    private final Resolver resolver;

    DnsPtr(String server) throws UnknownHostException {
        if (server == null || server.isEmpty()) {
            resolver = new ExtendedResolver();
        } else {
            String host = server;
            int port = 53;
            int colon = server.lastIndexOf(':');
            if (colon > 0 && server.indexOf(':') == colon) {
                host = server.substring(0, colon);
                port = (int) Math.max(0, Math.min(65535, org.jqmail.io.Scan.strict(server.substring(colon + 1))));
            }
            SimpleResolver s = new SimpleResolver(new InetSocketAddress(InetAddress.getByName(host), port));
            s.setTimeout(Duration.ofSeconds(5));
            resolver = s;
        }
    }

    @Override
    public byte[] lookup(InetAddress a) {
        Message r;
        try {
            r = resolver.send(Message.newQuery(Record.newRecord(ReverseMap.fromAddress(a), Type.PTR, DClass.IN)));
        } catch (IOException | RuntimeException e) {
            return TcpEnviron.SOFT;
        }
        if (r.getRcode() == Rcode.SERVFAIL) {
            return TcpEnviron.SOFT;
        }
        if (r.getRcode() != Rcode.NOERROR) {
            return null;
        }
        for (Record rec : r.getSection(Section.ANSWER)) {
            if (rec instanceof PTRRecord) {
                return Bytes.ascii(((PTRRecord) rec).getTarget().toString(true));
            }
        }
        return null;
    }
}
