package org.jqmail.lspawn;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs one qmail-local as the recipient: {@code args} are qmail-local's eight arguments after
 * {@code --} (user, homedir, local, dash, ext, domain, sender, defaultdelivery), the message
 * file becomes its fd 0, and everything it writes to fd 1 and fd 2 is collected.
 */
interface LocalRunner {
    /** How qmail-local ended and what it wrote (already truncated as spawn.c does). */
    record Outcome(boolean crashed, int code, byte[] output) {
    }

    Outcome run(int uid, int gid, List<byte[]> args, Path message);

    /** Releases idle resources (workers); called at exit. */
    default void close() {
    }
}
