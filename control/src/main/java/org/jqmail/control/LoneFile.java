package org.jqmail.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * The test a queue file passes before it is recycled through {@code queue/qspare/} (doc/QUEUE.md §5):
 * a regular file with no other name, so that emptying or reusing it can touch nothing else.
 * qmail-clean applies it before it keeps a file, qmail-queued again before it takes one.
 */
public final class LoneFile {
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    private LoneFile() {
    }

    /**
     * The inode number of {@code p} (not following a symbolic link) if it is a regular file
     * with exactly one link, else -1. A missing file is a {@link java.nio.file.NoSuchFileException}.
     */
    public static long ino(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:ino,nlink,mode", LinkOption.NOFOLLOW_LINKS);
        if ((((Integer) a.get("mode")) & S_IFMT) != S_IFREG || ((Integer) a.get("nlink")) != 1) {
            return -1;
        }
        return (Long) a.get("ino");
    }
}
