package org.jqmail.smtpd.listener;

import java.io.IOException;
import org.jqmail.io.Prot;
import org.jqmail.io.Scan;
import org.jqmail.io.nat.Posix;

/**
 * The listener's switch to its -u/-g identity after binding, as tcpserver does it: {@code -g}
 * sets the only group (setgroups, then setgid), {@code -u} the uid; {@code -U} takes them from
 * {@code $GID} and {@code $UID}. Names are accepted besides numbers. With both, this is
 * {@link Prot#drop}, which also proves root cannot be regained; after {@code -u} the process
 * must no longer be root in any case.
 */
final class Privileges {
    /** A failure, worded after {@code qmail-smtpd-listener: fatal: }. */
    static final class Fatal extends Exception {
        private static final long serialVersionUID = 1L;

        Fatal(String m) {
            super(m);
        }
    }

    private Privileges() {
    }

    static void drop(ListenerArgs a, Posix px, java.util.Map<String, String> env) throws Fatal {
        String user = a.user;
        String group = a.group;
        if (a.envUidGid) {
            user = env.get("UID");
            group = env.get("GID");
            if (user == null || group == null) {
                throw new Fatal("$UID and $GID must be set for -U");
            }
        }
        try {
            if (user != null && group != null) {
                int gid = gid(group, px);
                Prot.drop(px, uid(user, px), gid, new int[] {gid});
                return;
            }
            // Only one of the two, as tcpserver allows: -g alone sets the group, -u alone the uid.
            if (group != null) {
                int gid = gid(group, px);
                px.setgroups(new int[] {gid});
                px.setgid(gid);
            }
            if (user != null) {
                px.setuid(uid(user, px));
                if (px.getuid() == 0 || px.geteuid() == 0) {
                    throw new Fatal("still root after switching to " + user);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new Fatal("unable to switch user and group: " + e.getMessage());
        }
    }

    private static int uid(String s, Posix px) throws IOException, Fatal {
        long n = Scan.strict(s);
        if (n >= 0 && n <= Integer.MAX_VALUE) {
            return (int) n;
        }
        Posix.Passwd pw = px.getpwnam(s);
        if (pw == null) {
            throw new Fatal("unable to find user " + s);
        }
        return pw.uid();
    }

    private static int gid(String s, Posix px) throws IOException, Fatal {
        long n = Scan.strict(s);
        if (n >= 0 && n <= Integer.MAX_VALUE) {
            return (int) n;
        }
        Posix.Group gr = px.getgrnam(s);
        if (gr == null) {
            throw new Fatal("unable to find group " + s);
        }
        return gr.gid();
    }
}
