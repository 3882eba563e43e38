package org.jqmail.send;

import static org.jqmail.send.QueueFixture.b;
import static org.jqmail.send.QueueFixture.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanTest {
    @TempDir
    Path home;

    /** Hands the queued events to {@code clean} as the main loop does, until end of input. */
    private static void pump(Events ev, Clean clean) {
        for (;;) {
            Events.Event e = ev.poll(5000);
            if (e == null) {
                throw new AssertionError("no event");
            }
            if (e.kind() == Events.Kind.CLEANED) {
                clean.replies(e.data());
            } else if (e.kind() == Events.Kind.CLEAN_EOF) {
                clean.lost();
                return;
            }
        }
    }

    @Test
    void asynchronousRepliesAreMatchedInOrder() throws IOException {
        QueueFixture f = new QueueFixture(home);
        ByteArrayOutputStream requests = new ByteArrayOutputStream();
        Events ev = new Events();
        Clean clean = new Clean(requests, new ByteArrayInputStream(b("+!+")), f.log, f.st, ev);
        List<String> seen = new ArrayList<>();
        clean.requests(List.of("todo/1", "todo/2"), List.of(ok -> seen.add("1 " + ok), ok -> seen.add("2 " + ok)));
        clean.requests(List.of("foop/3"), null);
        assertEquals("todo/1\0todo/2\0foop/3\0", s(requests.toByteArray()));
        pump(ev, clean);
        assertEquals(List.of("1 true", "2 false"), seen);
        assertEquals(List.of("warning: qmail-clean unable to clean up todo/2",
                "alert: oh no! lost qmail-clean connection! dying..."), f.logLines());
        assertEquals(0, clean.pending());
        assertTrue(f.st.exitasap);
    }

    @Test
    void synchronousWithoutEventQueue() throws IOException {
        QueueFixture f = new QueueFixture(home);
        Clean clean = new Clean(new ByteArrayOutputStream(), new ByteArrayInputStream(b("+")), f.log, f.st);
        boolean[] done = new boolean[1];
        clean.request("todo/9", ok -> done[0] = ok);
        assertTrue(done[0]);
        assertFalse(f.st.exitasap);
        clean.request("foop/9", null);
        assertEquals(List.of("alert: oh no! lost qmail-clean connection! dying..."), f.logLines());
        assertTrue(f.st.exitasap);
    }
}
