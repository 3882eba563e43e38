package org.jqmail.queue;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.jqmail.io.Scan;
import org.jqmail.io.SuppressForbidden;
import org.jqmail.io.nat.Posix;

/**
 * The submitter's real uid, from the kernel's peer credentials ({@code SO_PEERCRED}), never
 * from anything the client says. The JDK reports the peer as a user name (or the decimal uid
 * when the uid has no name); the name is mapped back with getpwnam
 * ({@link UidCache}: once, until /etc/passwd changes).
 */
@SuppressForbidden(reason = "SO_PEERCRED is the documented JDK way to learn a Unix-domain peer's uid")
interface PeerUid {
    /** The peer's uid could not be determined. */
    final class Unknown extends IOException {
        private static final long serialVersionUID = 1L;

        Unknown(String m) {
            super(m);
        }
    }

    long uid(SocketChannel ch) throws IOException;

    static PeerUid credentials(Posix px) {
        UidCache users = new UidCache(n -> {
            Posix.Passwd pw = px.getpwnam(n);
            return pw == null ? -1 : pw.uid() & 0xffffffffL;
        });
        return ch -> {
            String name;
            try {
                UnixDomainPrincipal p = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
                name = p.user().getName();
            } catch (IOException | RuntimeException e) {
                throw new Unknown("no peer credentials: " + e);
            }
            long uid = users.uid(name);
            if (uid >= 0) {
                return uid;
            }
            long n = Scan.strict(name);
            if (n < 0) {
                throw new Unknown("unknown peer user " + name);
            }
            return n;
        };
    }
}
