package org.jqmail.remote;

import java.util.function.LongSupplier;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Fmt;

/**
 * The timeout table {@code queue/lock/tcpto} (qmail-tcpto(8)), qmail's {@code tcpto.c}: which
 * addresses recently timed out on connect, so that qmail-remote does not wait for them again.
 *
 * <p>64 records of 16 bytes: bytes 0–3 the IPv4 address in network order, byte 4 the count of
 * recent timeouts (0 = free, at most 10), bytes 8–11 the time of the last timeout, little
 * endian. {@link #skip} is {@code tcpto()}, {@link #err} is {@code tcpto_err()}; one instance
 * serves one delivery, because {@code err} with no error only clears a record that {@code skip}
 * saw. Failing to open, lock or read the table makes both do nothing, as in qmail.
 *
 * <p>See also: {@code tcpto.c}, {@code qmail-tcpto(8)}, {@link TcptoFile} for the locking.
 */
public final class Tcpto {
    /** The table size ({@code tcpto_buf}). */
    public static final int SIZE = 1024;

    /** Access to the stored table, locked between {@link #lockAndRead} and {@link #release}. */
    public interface Store {
        /**
         * Takes the exclusive lock and reads the table into {@code buf}; returns the number of
         * bytes read, or -1 (with no lock held) if the table cannot be opened, locked or read.
         */
        int lockAndRead(byte[] buf);

        /** Rewrites one record in place while the lock is held; errors are ignored. */
        void write(int offset, byte[] buf, int off, int len);

        /** Releases the lock. */
        void release();
    }

    private final Store store;
    private final LongSupplier now;
    private final long pid;
    private boolean flagwasthere;

    /**
     * @param now seconds since the epoch
     * @param pid the process id qmail uses to spread the skip window (64–97 minutes)
     */
    public Tcpto(Store store, LongSupplier now, long pid) {
        this.store = store;
        this.now = now;
        this.pid = pid;
    }

    /** {@code tcpto()}: true if {@code ip} timed out at least twice very recently. */
    public boolean skip(int ip) {
        flagwasthere = false;
        byte[] buf = new byte[SIZE];
        int n = store.lockAndRead(buf);
        if (n < 0) {
            return false;
        }
        store.release();
        n >>= 4;
        for (int i = 0; i < n; i++) {
            int r = i << 4;
            if (ipAt(buf, r) == ip) {
                flagwasthere = true;
                // The count is a signed char and the times unsigned longs, as in tcpto.c.
                if (buf[r + 4] >= 2) {
                    long when = when(buf, r);
                    if (Long.compareUnsigned(now.getAsLong() - when, (60 + (pid & 31)) << 6) < 0) {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }

    /** {@code tcpto_err()}: records the outcome of a connect attempt to {@code ip}. */
    public void err(int ip, boolean timeout) {
        if (!timeout && !flagwasthere) {
            return;
        }
        byte[] buf = new byte[SIZE];
        int n = store.lockAndRead(buf);
        if (n < 0) {
            return;
        }
        try {
            update(buf, n >> 4, ip, timeout);
        } finally {
            store.release();
        }
    }

    private void update(byte[] buf, int n, int ip, boolean timeout) {
        for (int i = 0; i < n; i++) {
            int r = i << 4;
            if (ipAt(buf, r) == ip) {
                if (!timeout) {
                    buf[r + 4] = 0;
                } else {
                    long t = now.getAsLong();
                    int count = buf[r + 4];
                    if (count != 0 && t < 120 + when(buf, r)) {
                        return;
                    }
                    byte c = (byte) (count + 1);
                    buf[r + 4] = c > 10 ? 10 : c;
                    putWhen(buf, r, t);
                }
                store.write(r, buf, r, 16);
                return;
            }
        }
        if (!timeout) {
            return;
        }
        int slot = -1;
        for (int i = 0; i < n; i++) {
            if (buf[(i << 4) + 4] == 0) {
                slot = i;
                break;
            }
        }
        if (slot < 0) {
            long firstwhen = 0;
            for (int i = 0; i < n; i++) {
                int r = i << 4;
                // qmail adds count << 10 with the count as a signed char.
                long w = when(buf, r) + ((long) buf[r + 4] << 10);
                if (slot < 0 || Long.compareUnsigned(w, firstwhen) < 0) {
                    slot = i;
                    firstwhen = w;
                }
            }
        }
        if (slot >= 0) {
            int r = slot << 4;
            System.arraycopy(Ip.bytes(ip), 0, buf, r, 4);
            putWhen(buf, r, now.getAsLong());
            buf[r + 4] = 1;
            store.write(r, buf, r, 16);
        }
    }

    static int ipAt(byte[] buf, int r) {
        return ((buf[r] & 0xff) << 24) | ((buf[r + 1] & 0xff) << 16) | ((buf[r + 2] & 0xff) << 8)
                | (buf[r + 3] & 0xff);
    }

    static long when(byte[] buf, int r) {
        return (buf[r + 8] & 0xffL) | ((buf[r + 9] & 0xffL) << 8) | ((buf[r + 10] & 0xffL) << 16)
                | ((buf[r + 11] & 0xffL) << 24);
    }

    static void putWhen(byte[] buf, int r, long t) {
        buf[r + 8] = (byte) t;
        buf[r + 9] = (byte) (t >>> 8);
        buf[r + 10] = (byte) (t >>> 16);
        buf[r + 11] = (byte) (t >>> 24);
    }

    /**
     * qmail-tcpto's listing of {@code n} bytes of a table read at time {@code start}: one line
     * {@code IP timed out SECONDS seconds ago; # recent timeouts: COUNT} per record with a
     * count of at least 1 (the difference is unsigned, as in qmail).
     */
    public static byte[] list(byte[] buf, int n, long start) {
        ByteBuf out = new ByteBuf(SIZE * 8);
        for (int i = 0; i < (n >> 4); i++) {
            int r = i << 4;
            int count = buf[r + 4];
            if (count >= 1) {
                out.append(Ip.fmt(ipAt(buf, r)));
                out.append(" timed out ");
                out.append(Long.toUnsignedString(start - when(buf, r)));
                out.append(" seconds ago; # recent timeouts: ");
                out.append(Fmt.ulong(count & 0xff));
                out.append('\n');
            }
        }
        return out.toByteArray();
    }
}
