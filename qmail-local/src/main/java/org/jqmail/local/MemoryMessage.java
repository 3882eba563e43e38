package org.jqmail.local;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** A small message a warm worker received, held in memory. */
final class MemoryMessage implements Message {
    private final byte[] bytes;

    MemoryMessage(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public InputStream current() {
        return new ByteArrayInputStream(bytes);
    }

    @Override
    public InputStream rewind() {
        return new ByteArrayInputStream(bytes);
    }
}
