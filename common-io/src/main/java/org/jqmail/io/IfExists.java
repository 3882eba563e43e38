package org.jqmail.io;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.spi.FileSystemProvider;

/**
 * {@code stat(2)} that reports a missing file as null instead of an exception. For some lookups
 * a missing file is the usual answer (a {@code .qmail-ext} file, the channel files of a
 * finished message), and the JDK reports it as a {@link NoSuchFileException} whose stack trace
 * costs more than the system call: its construction took 1 to 2 % of the CPU of qmail-send and
 * of every qmail-local worker under load. The JDK answers with null itself from Java 20 on
 * ({@code FileSystemProvider.readAttributesIfExists}); on Java 17 to 19 the exception is caught
 * here, with the same result.
 *
 * <p>Any other failure (EACCES, EIO, ...) is thrown as the JDK throws it, so callers can still
 * tell "absent" from "unable to tell" as qmail does with errno.
 */
public final class IfExists {
    /** {@code readAttributesIfExists(Path, Class, LinkOption[])}, or null before Java 20. */
    private static final MethodHandle READ = find();

    private IfExists() {
    }

    private static MethodHandle find() {
        try {
            return MethodHandles.publicLookup().findVirtual(FileSystemProvider.class, "readAttributesIfExists",
                    MethodType.methodType(BasicFileAttributes.class, Path.class, Class.class, LinkOption[].class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    /**
     * The attributes of {@code p} (following symbolic links unless {@code options} say
     * otherwise), or null if it does not exist.
     */
    public static BasicFileAttributes attributes(Path p, LinkOption... options) throws IOException {
        if (READ != null) {
            try {
                return (BasicFileAttributes) READ.invokeExact(p.getFileSystem().provider(), p,
                        (Class<?>) BasicFileAttributes.class, options);
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
        try {
            return java.nio.file.Files.readAttributes(p, BasicFileAttributes.class, options);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
