package org.jqmail.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UidCacheTest {
    @TempDir
    Path dir;
    private final Map<String, Long> db = new HashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicLong clock = new AtomicLong(1_000);

    private UidCache cache(Path passwd) {
        return new UidCache(n -> {
            lookups.incrementAndGet();
            return db.getOrDefault(n, -1L);
        }, passwd, clock::get);
    }

    @Test
    void secondLookUpOfANameIsRemembered() throws IOException {
        Path pw = Files.writeString(dir.resolve("passwd"), "a:x:1:1::/:/bin/sh\n");
        db.put("a", 1L);
        UidCache c = cache(pw);
        assertEquals(1, c.uid("a"));
        assertEquals(1, c.uid("a"));
        assertEquals(1, lookups.get());
    }

    @Test
    void changedPasswdFileIsLookedUpAgain() throws IOException {
        Path pw = Files.writeString(dir.resolve("passwd"), "a:x:1:1::/:/bin/sh\n");
        db.put("a", 1L);
        UidCache c = cache(pw);
        assertEquals(1, c.uid("a"));
        db.put("a", 7L);
        Files.writeString(pw, "a:x:7:1::/:/bin/sh\n");
        Files.setLastModifiedTime(pw, FileTime.fromMillis(Files.getLastModifiedTime(pw).toMillis() + 2000));
        assertEquals(7, c.uid("a"));
        assertEquals(2, lookups.get());
    }

    @Test
    void answersExpireAfterAMinute() throws IOException {
        Path pw = Files.writeString(dir.resolve("passwd"), "a\n");
        db.put("a", 1L);
        UidCache c = cache(pw);
        c.uid("a");
        clock.addAndGet(UidCache.MAX_AGE_NANOS);
        c.uid("a");
        assertEquals(1, lookups.get());
        clock.incrementAndGet();
        c.uid("a");
        assertEquals(2, lookups.get());
    }

    @Test
    void unknownNamesAndAnUnreadablePasswdAreNotRemembered() throws IOException {
        Path pw = Files.writeString(dir.resolve("passwd"), "a\n");
        UidCache c = cache(pw);
        assertEquals(-1, c.uid("nobody-here"));
        assertEquals(-1, c.uid("nobody-here"));
        assertEquals(2, lookups.get());
        db.put("b", 5L);
        UidCache none = cache(dir.resolve("missing"));
        assertEquals(5, none.uid("b"));
        assertEquals(5, none.uid("b"));
        assertEquals(4, lookups.get());
    }
}
