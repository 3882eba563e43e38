package org.jqmail.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the wrapper decides whether bin/qmail-inject is its own code. */
class SendmailRunTest {
    @TempDir
    Path dir;

    @Test
    void ourLauncherOrNoneRunsInProcessAnythingElseIsExecuted() throws IOException {
        Path l = dir.resolve("qmail-inject");
        assertEquals(true, SendmailRun.ours(l));
        Files.writeString(l, "#!/bin/sh\nset -- -cp x 'org.jqmail.inject.QmailInject' \"$@\"\nexec java \"$@\"\n");
        assertEquals(true, SendmailRun.ours(l));
        Files.write(l, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        assertEquals(false, SendmailRun.ours(l));
    }
}
