package org.jqmail.smtpd.listener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The listener's word on a control file it cannot read: every session answers
 * {@code 421 unable to read controls (#4.3.0)} as qmail-smtpd does, and the listener says why
 * on stderr once per file, reason and version of the file (its size, times and inode), not
 * once per session. A file that is fixed and breaks again is said again.
 *
 * <p>Thread-safe.
 */
final class ControlTrouble implements org.jqmail.control.Control.Trouble {
    private final Consumer<String> log;
    /** What was last said per file: the reason and the file's version. */
    private final Map<Path, List<Object>> said = new ConcurrentHashMap<>();

    /** {@code log} gets each line, without the program's name and the newline. */
    ControlTrouble(Consumer<String> log) {
        this.log = log;
    }

    @Override
    public void unreadable(Path p, IOException e) {
        List<Object> key = List.of(String.valueOf(e.getMessage()), e.getClass().getName(), version(p));
        if (!Objects.equals(said.put(p, key), key)) {
            log.accept("warning: unable to read controls, answering 421 until it changes: "
                    + (e.getMessage() != null && e.getMessage().startsWith(p.toString()) ? e.getMessage()
                    : p + ": " + e));
        }
    }

    private static Object version(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return List.of(a.size(), a.lastModifiedTime(), a.creationTime(), String.valueOf(a.fileKey()));
        } catch (IOException | RuntimeException x) {
            return "unreadable";
        }
    }
}
