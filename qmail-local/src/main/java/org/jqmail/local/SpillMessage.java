package org.jqmail.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;

/**
 * A large message a warm worker received, kept in a temporary file whose name was removed at
 * once: only the open channel refers to it, so nothing is left behind if the worker dies.
 */
final class SpillMessage implements Message, AutoCloseable {
    private final FileChannel ch;

    SpillMessage(FileChannel ch) {
        this.ch = ch;
    }

    @Override
    public InputStream current() {
        return ChannelInput.at(ch, 0);
    }

    @Override
    public InputStream rewind() {
        return ChannelInput.at(ch, 0);
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
