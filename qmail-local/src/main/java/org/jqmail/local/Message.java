package org.jqmail.local;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The message being delivered, qmail-local's seekable fd 0 (qmail-local(8)): read once from where
 * it stands for the loop check, rewound for every instruction, and handed to programs as their
 * stdin.
 *
 * <p>Implementations: {@link Fd0Message} (the standalone program's real fd 0),
 * {@link MemoryMessage} and {@link SpillMessage} (a warm worker's copy, in memory or in an
 * unlinked temporary file).
 */
interface Message {
    /** The message from the current position, without seeking (qmail's {@code bouncexf}). */
    InputStream current() throws IOException;

    /** {@code seek_begin(0)}; the message from its first byte. Throws if it cannot seek. */
    InputStream rewind() throws IOException;

    /**
     * Stdin for a program, positioned at the first byte and seekable (a program may rewind it,
     * as {@code preline} and {@code condredirect} users expect). The default copies the message
     * into a temporary file in {@code tmpdir}; the file's name is removed as soon as the program
     * has started ({@link ProgramInput#close}), its open descriptor staying with the program.
     */
    default ProgramInput programInput(Path tmpdir) throws IOException {
        Path f = Files.createTempFile(tmpdir, "qmail-local", ".prog");
        try (InputStream in = rewind();
                OutputStream o = Files.newOutputStream(f, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            in.transferTo(o);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(f);
            throw e;
        }
        return new ProgramInput(Redirect.from(f.toFile()), f);
    }

    /** A program's stdin and the temporary file to remove once the program has started. */
    record ProgramInput(Redirect redirect, Path temp) implements Closeable {
        @Override
        public void close() throws IOException {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
    }
}
