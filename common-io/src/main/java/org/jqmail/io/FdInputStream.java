package org.jqmail.io;

import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;

/**
 * A {@link FileInputStream} on a descriptor that may be a pipe, with the seeking shortcuts
 * removed: JDK 17's {@code FileInputStream.readAllBytes} and {@code readNBytes(int)} call
 * lseek first and fail with "Illegal seek" on a pipe (17.0.15 does; 25 does not), and its
 * {@code skip} seeks too. Here all of them read, as {@link java.io.InputStream} defines them.
 *
 * <p>Used by {@link Fds#in} and {@link Spawn#from}.
 */
final class FdInputStream extends FilterInputStream {
    FdInputStream(FileInputStream in) {
        super(in);
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] b = new byte[(int) Math.min(Math.max(n, 0), 8192)];
        long left = n;
        while (left > 0) {
            int r = in.read(b, 0, (int) Math.min(left, b.length));
            if (r < 0) {
                break;
            }
            left -= r;
        }
        return n - Math.max(left, 0);
    }
}
