package org.jqmail.tools;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcsTest {
    @TempDir
    Path proc;

    private void status(long pid, String sigCgt) throws IOException {
        Path d = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(d.resolve("status"), "Name:\tjava\nUid:\t0\t0\t0\t0\nSigIgn:\t0000000000000000\n"
                + (sigCgt == null ? "" : "SigCgt:\t" + sigCgt + "\n"));
    }

    @Test
    void catchesReadsTheSigCgtMaskOfProcStatus() throws IOException {
        status(10, "0000000000002001"); // HUP (1) and ALRM (14)
        status(11, "0000000000000001"); // HUP only: the JVM's own, before qmail-send's handlers
        status(12, null);
        status(13, "not-hex");
        Procs p = new Procs(proc);
        assertTrue(p.catches(10, 1));
        assertTrue(p.catches(10, 14));
        assertTrue(p.catches(11, 1));
        assertFalse(p.catches(11, 14));
        assertFalse(p.catches(12, 1));
        assertFalse(p.catches(13, 1));
        assertFalse(p.catches(99, 1)); // no such process
    }
}
