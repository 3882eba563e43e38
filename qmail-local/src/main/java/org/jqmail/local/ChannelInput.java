package org.jqmail.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * An input stream over a file channel that does not close the channel: either at the channel's
 * own position (which for fd 0 is the descriptor's offset, shared with the programs that
 * inherit it) or at a private position (a worker's spilled message).
 */
final class ChannelInput extends InputStream {
    private final FileChannel ch;
    private final boolean positional;
    private long pos;

    private ChannelInput(FileChannel ch, boolean positional, long pos) {
        this.ch = ch;
        this.positional = positional;
        this.pos = pos;
    }

    /** Reads at, and advances, the channel's own position. */
    static ChannelInput shared(FileChannel ch) {
        return new ChannelInput(ch, false, 0);
    }

    /** Reads from {@code pos} on, leaving the channel's position alone. */
    static ChannelInput at(FileChannel ch, long pos) {
        return new ChannelInput(ch, true, pos);
    }

    @Override
    public int read() throws IOException {
        byte[] b = new byte[1];
        return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        int n = positional ? ch.read(bb, pos) : ch.read(bb);
        if (n > 0) {
            pos += n;
        }
        return n < 0 ? -1 : n;
    }

    @Override
    public void close() {
        // The channel belongs to the message, not to this stream.
    }
}
