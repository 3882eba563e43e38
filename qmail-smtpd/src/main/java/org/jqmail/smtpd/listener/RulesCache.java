package org.jqmail.smtpd.listener;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.jqmail.control.Cdb;
import org.jqmail.smtpd.FileStamp;

/**
 * The listener's access rules ({@code -x rules.cdb}) as tcpserver applies them, looked up per
 * connection in the current cdb: decisions are remembered per remote address and host name
 * for as long as the file's {@link FileStamp} (one stat per connection) is unchanged and was
 * settled when the decisions were read. {@code tcprules} renames a new cdb over the old one,
 * which gives a new stamp, so its rules apply from the very next connection, as with
 * tcpserver, which opens the cdb per connection.
 *
 * <p>At most {@link #MAX} decisions are kept; past that the set starts over. Thread-safe.
 */
final class RulesCache {
    static final int MAX = 4096;

    private final Path rules;
    private final LongSupplier clock;
    private volatile Kept kept;

    /** The decisions read from one version of the file. */
    private record Kept(FileStamp stamp, Map<Key, TcpRules.Decision> decisions) {
    }

    private record Key(String ip, String host) {
    }

    RulesCache(Path rules) {
        this(rules, System::currentTimeMillis);
    }

    RulesCache(Path rules, LongSupplier clock) {
        this.rules = rules;
        this.clock = clock;
    }

    /**
     * The decision for a connection from {@code ip} (host name {@code host}, or null), or null
     * if the file does not exist. Read errors are thrown.
     */
    TcpRules.Decision find(String ip, String host) throws IOException {
        long now = clock.getAsLong();
        FileStamp stamp;
        try {
            stamp = FileStamp.of(rules);
        } catch (NoSuchFileException e) {
            return null;
        }
        Key key = new Key(ip, host);
        Kept k = kept;
        if (k != null && k.stamp().equals(stamp)) {
            TcpRules.Decision d = k.decisions().get(key);
            if (d != null) {
                return d;
            }
        }
        Cdb cdb = Cdb.openIfExists(rules);
        if (cdb == null) {
            return null;
        }
        TcpRules.Decision d;
        try (Cdb c = cdb) {
            d = TcpRules.find(c, ip, host, null);
        }
        // The file read is this stamp's version or a later one: a later one has another stamp.
        if (stamp.settled(now)) {
            if (k == null || !k.stamp().equals(stamp) || k.decisions().size() >= MAX) {
                k = new Kept(stamp, new ConcurrentHashMap<>());
                kept = k;
            }
            k.decisions().put(key, new TcpRules.Decision(d.deny(), Collections.unmodifiableMap(new LinkedHashMap<>(d.env()))));
        }
        return d;
    }
}
