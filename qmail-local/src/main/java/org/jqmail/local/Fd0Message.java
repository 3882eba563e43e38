package org.jqmail.local;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The standalone program's message: its own fd 0, a regular file opened by qmail-lspawn. Seeking
 * it moves the descriptor's offset, and a program inherits the descriptor itself, exactly as in
 * qmail (the program reads from wherever qmail-local last rewound it: the first byte).
 */
final class Fd0Message implements Message {
    private final FileChannel ch;

    Fd0Message(FileChannel ch) {
        this.ch = ch;
    }

    /** This process's fd 0. Never closed: the JVM owns it. */
    static Fd0Message std() {
        return new Fd0Message(new FileInputStream(FileDescriptor.in).getChannel());
    }

    @Override
    public InputStream current() {
        return ChannelInput.shared(ch);
    }

    @Override
    public InputStream rewind() throws IOException {
        ch.position(0);
        return ChannelInput.shared(ch);
    }

    @Override
    public ProgramInput programInput(Path tmpdir) {
        return new ProgramInput(Redirect.INHERIT, null);
    }
}
