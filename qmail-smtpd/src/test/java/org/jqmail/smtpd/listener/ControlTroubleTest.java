package org.jqmail.smtpd.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.Control;
import org.jqmail.smtpd.ControlCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control file the listener cannot read is said once per file, reason and version, however
 * many sessions find it so; a new version of the file that is still too long is said again.
 */
class ControlTroubleTest {
    @TempDir
    Path home;

    @Test
    void aFileOverItsBoundIsSaidOncePerVersion() throws IOException {
        Path control = Files.createDirectories(home.resolve("control"));
        Path me = control.resolve("me");
        Files.writeString(me, "x".repeat(Control.LINE_MAX + 1));
        List<String> said = new ArrayList<>();
        ControlCache cache = ControlCache.forHome(home, new ControlTrouble(said::add));
        for (int session = 0; session < 5; session++) {
            try {
                cache.control().me();
            } catch (Control.TooLargeException e) {
                // Each session answers 421.
            }
        }
        assertEquals(List.of("warning: unable to read controls, answering 421 until it changes: " + me
                + ": its first line is longer than 1048576 bytes, the bound on control files"), said);
        Files.writeString(me, "y".repeat(Control.LINE_MAX + 2));
        Files.setLastModifiedTime(me, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        try {
            cache.control().me();
        } catch (Control.TooLargeException e) {
            // Still too long: a new version, said again.
        }
        assertEquals(2, said.size());
        Files.writeString(me, "mail.example\n");
        assertEquals("mail.example", new String(cache.control().me(), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(2, said.size());
    }
}
