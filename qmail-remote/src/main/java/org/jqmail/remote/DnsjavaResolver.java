package org.jqmail.remote;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.io.Bytes;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@link Resolver} over dnsjava, asking the name servers of {@link ResolvConf} the way the C
 * library's {@code res_query} does: each server in turn, {@code attempts} rounds, moving on after
 * a timeout, an unreachable server, or a SERVFAIL/NOTIMP/REFUSED answer. A truncated UDP answer
 * is asked again over TCP (answers up to 64 KiB, as notqmail). No search list, no cache, no
 * CNAME chasing: the answer section is taken as it is.
 *
 * <p>Outcome mapping ({@code dns.c} {@code resolve()}): NXDOMAIN, an empty answer (NODATA), an
 * unparsable name and any other error code are permanent; SERVFAIL, no answer at all and a
 * malformed answer are temporary.
 *
 * <p>Instances are thread-safe; qmail-rspawn shares one among its delivery threads.
 */
public final class DnsjavaResolver implements Resolver {
    private final List<SimpleResolver> servers;
    private final int attempts;

    public DnsjavaResolver(ResolvConf rc) {
        List<SimpleResolver> l = new ArrayList<>();
        for (InetSocketAddress a : rc.servers()) {
            SimpleResolver s = new SimpleResolver(a);
            s.setTimeout(Duration.ofSeconds(rc.timeout()));
            l.add(s);
        }
        this.servers = List.copyOf(l);
        this.attempts = rc.attempts();
    }

    @Override
    public List<Mx> mx(byte[] name) throws SoftFail, HardFail {
        List<Mx> out = new ArrayList<>();
        for (Record r : query(name, Type.MX)) {
            if (r instanceof MXRecord) {
                MXRecord m = (MXRecord) r;
                out.add(new Mx(m.getPriority(), Bytes.ascii(m.getTarget().toString(true))));
            }
        }
        return out;
    }

    @Override
    public int[] a(byte[] name) throws SoftFail, HardFail {
        List<Record> rs = query(name, Type.A);
        int[] out = new int[rs.size()];
        int n = 0;
        for (Record r : rs) {
            if (r instanceof ARecord) {
                out[n++] = Ip.of(((ARecord) r).getAddress().getAddress());
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private List<Record> query(byte[] name, int type) throws SoftFail, HardFail {
        Message q;
        try {
            Name n = name.length == 0 ? Name.root : Name.fromString(Bytes.str(name), Name.root);
            q = Message.newQuery(Record.newRecord(n, type, DClass.IN));
        } catch (TextParseException | RuntimeException e) {
            throw new HardFail("bad name");
        }
        Message last = null;
        for (int round = 0; round < attempts; round++) {
            for (SimpleResolver s : servers) {
                Message r;
                try {
                    r = s.send(q);
                } catch (IOException e) {
                    continue;
                }
                int rcode = r.getRcode();
                if (rcode == Rcode.SERVFAIL || rcode == Rcode.NOTIMP || rcode == Rcode.REFUSED) {
                    last = r;
                    continue;
                }
                return answers(r);
            }
        }
        if (last == null) {
            throw new SoftFail("no answer");
        }
        return answers(last);
    }

    private static List<Record> answers(Message r) throws SoftFail, HardFail {
        int rcode = r.getRcode();
        if (rcode == Rcode.SERVFAIL) {
            throw new SoftFail("SERVFAIL");
        }
        if (rcode != Rcode.NOERROR) {
            throw new HardFail(Rcode.string(rcode));
        }
        List<Record> ans = r.getSection(Section.ANSWER);
        if (ans.isEmpty()) {
            throw new HardFail("no data");
        }
        return ans;
    }
}
