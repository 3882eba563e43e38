package org.jqmail.control;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import org.jqmail.io.Bytes;

/**
 * qmail's {@code rcpthosts.c}: may this host accept mail for a recipient when the client is
 * not a relay client (qmail-smtpd(8); qmail-qmtpd(8) follows the same rules)? Used by
 * qmail-smtpd and qmail-qmtpd.
 *
 * <p>Without {@code control/rcpthosts} every recipient is allowed. Otherwise an address
 * without {@code @} is allowed, and one with a domain is allowed when the lowercased domain, or
 * any suffix of it starting at a dot, is listed in {@code rcpthosts} or, when it exists, in
 * {@code control/morercpthosts.cdb}. An empty domain is never allowed.
 *
 * <p>The cdb is opened once, when the session starts, and read per lookup; a read error
 * there is an {@link IOException} (qmail-smtpd answers 421 unable to read controls,
 * qmail-qmtpd exits 111).
 */
public final class RcptHosts implements Closeable {
    private static final String MORE = "morercpthosts.cdb";

    private final ConstMap rh;
    private final Cdb mrh;

    private RcptHosts(ConstMap rh, Cdb mrh) {
        this.rh = rh;
        this.mrh = mrh;
    }

    /** {@code rcpthosts_init}. */
    public static RcptHosts load(Control control) throws IOException {
        List<byte[]> l = control.readFile("rcpthosts", false);
        if (l == null) {
            return new RcptHosts(null, null);
        }
        Cdb more = control.mayExist(MORE) ? Cdb.openIfExists(control.path(MORE)) : null;
        return new RcptHosts(ConstMap.ofList(l), more);
    }

    /** For tests: an explicit list (null: no rcpthosts file) and cdb. */
    public static RcptHosts of(List<byte[]> rcpthosts, Cdb more) {
        return new RcptHosts(rcpthosts == null ? null : ConstMap.ofList(rcpthosts), more);
    }

    public boolean allowed(byte[] addr) throws IOException {
        if (rh == null) {
            return true;
        }
        int at = Bytes.lastIndexOf(addr, '@');
        if (at < 0) {
            return true;
        }
        byte[] host = Bytes.lower(Bytes.sub(addr, at + 1));
        int len = host.length;
        for (int j = 0; j < len; j++) {
            if ((j == 0 || host[j] == '.') && rh.contains(host, j, len - j)) {
                return true;
            }
        }
        if (mrh != null) {
            for (int j = 0; j < len; j++) {
                if ((j == 0 || host[j] == '.') && mrh.find(host, j, len - j) != null) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        if (mrh != null) {
            mrh.close();
        }
    }
}
