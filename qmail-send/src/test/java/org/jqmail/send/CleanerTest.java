package org.jqmail.send;

import static org.jqmail.send.QueueFixture.b;
import static org.jqmail.send.QueueFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanerTest {
    @TempDir
    Path home;

    private String run(QueueFixture f, String requests) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new Cleaner(f.queue, QueueFixture.SPLIT, f.clock).run(new ByteArrayInputStream(b(requests)), out);
        assertEquals(0, code);
        return s(out.toByteArray());
    }

    @Test
    void removesTodoAndMessageFilesAndAnswersPlus() throws IOException {
        QueueFixture f = new QueueFixture(home);
        f.queueMessage(457, "m", "Fa\0");
        assertEquals("+", run(f, "todo/457\0"));
        assertFalse(f.exists("todo/457"));
        assertFalse(f.exists("intd/457"));
        assertTrue(f.exists("mess/20/457"));
        assertEquals("++", run(f, "foop/457\0foop/457\0"));
        assertFalse(f.exists("mess/20/457"));
    }

    @Test
    void malformedRequestsGetX() throws IOException {
        QueueFixture f = new QueueFixture(home);
        String tooLong = "foop/" + "1".repeat(95) + "\0";
        String longest = "foop/" + "1".repeat(94);
        assertEquals("xxxxxx+x", run(f, "foop/\0todo/\0bar/1234\0foop/12a\0foo/1\0" + tooLong
                + longest.substring(0, 99) + "\0" + "foop/" + "1".repeat(200) + "\0"));
    }

    @Test
    void anUnlinkFailureIsBang() throws IOException {
        QueueFixture f = new QueueFixture(home);
        Files.createDirectories(f.queue.resolve("intd/9/sub"));
        Files.createDirectories(f.queue.resolve("intd/9"));
        assertEquals("!", run(f, "todo/9\0"));
    }

    @Test
    void staleFilesInPidAreRemoved() throws IOException {
        QueueFixture f = new QueueFixture(home);
        Path old = f.queue.resolve("pid/123.456.1");
        Path fresh = f.queue.resolve("pid/124.456.1");
        Files.write(old, b(""));
        Files.write(fresh, b(""));
        FileTime t = FileTime.from(f.clock.t - 129600, TimeUnit.SECONDS);
        Files.getFileAttributeView(old, BasicFileAttributeView.class).setTimes(t, t, null);
        FileTime t2 = FileTime.from(f.clock.t - 129599, TimeUnit.SECONDS);
        Files.getFileAttributeView(fresh, BasicFileAttributeView.class).setTimes(t2, t2, null);
        run(f, "");
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(fresh));
    }
}
