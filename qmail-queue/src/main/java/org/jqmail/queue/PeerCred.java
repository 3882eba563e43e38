package org.jqmail.queue;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.jqmail.io.Scan;
import org.jqmail.io.SuppressForbidden;
import org.jqmail.io.nat.ChannelFd;
import org.jqmail.io.nat.Posix;

/**
 * Who is at the other end of a connection to qmail-queued: the uid and the pid the kernel
 * recorded when the peer connected ({@code SO_PEERCRED}), never anything the client says.
 *
 * <p>{@link #kernel} asks the kernel directly (getsockopt on the channel's descriptor,
 * {@link ChannelFd}), which gives the pid as well; a runtime that hides descriptors gets the
 * JDK's {@code SO_PEERCRED} option, which names the user only (mapped back to a uid with
 * getpwnam, {@link UidCache}) and leaves the pid unknown (0). A pid is also 0 when the peer's
 * process lives in a pid namespace this one cannot see.
 */
@SuppressForbidden(reason = "SO_PEERCRED is the documented JDK way to learn a Unix-domain peer's uid")
interface PeerCred {
    /** The peer's credentials could not be determined. */
    final class Unknown extends IOException {
        private static final long serialVersionUID = 1L;

        Unknown(String m) {
            super(m);
        }
    }

    /** The peer's real uid and its process id (0: unknown). */
    record Cred(long uid, long pid) {
    }

    Cred of(SocketChannel ch) throws IOException;

    /** The kernel's answer, through {@code px} where the descriptor is visible, else the JDK's. */
    static PeerCred kernel(Posix px) {
        PeerCred jdk = jdk(px);
        if (!ChannelFd.available()) {
            return jdk;
        }
        return ch -> {
            int fd = ChannelFd.of(ch);
            if (fd < 0) {
                return jdk.of(ch);
            }
            long[] c;
            try {
                c = px.peerCred(fd);
            } catch (IOException | RuntimeException e) {
                throw new Unknown("no peer credentials: " + e);
            }
            return new Cred(c[1], c[0]);
        };
    }

    /** The JDK's SO_PEERCRED: the uid (through the user's name), pid unknown. */
    static PeerCred jdk(Posix px) {
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
            if (uid < 0) {
                uid = Scan.strict(name);
                if (uid < 0) {
                    throw new Unknown("unknown peer user " + name);
                }
            }
            return new Cred(uid, 0);
        };
    }
}
