package org.jqmail.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.jqmail.control.Auto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qmail-qread against a queue made by hand, golden output. */
class QreadTest {
    @TempDir
    Path home;

    private void message(long id, String sender, long mtime, String mess, String local, String remote)
            throws IOException {
        Path q = home.resolve("queue");
        long sub = id % 23;
        if (mess != null) {
            Golden.write(q.resolve("mess/" + sub + "/" + id), mess);
        }
        Path info = q.resolve("info/" + sub + "/" + id);
        Golden.write(info, "F" + sender + "\0");
        Files.setLastModifiedTime(info, FileTime.fromMillis(mtime * 1000));
        if (local != null) {
            Golden.write(q.resolve("local/" + sub + "/" + id), local);
        }
        if (remote != null) {
            Golden.write(q.resolve("remote/" + sub + "/" + id), remote);
        }
    }

    @Test
    void listsMessagesRecipientsDoneMarksAndBounces() throws IOException {
        for (String d : new String[] {"info", "mess", "local", "remote"}) {
            for (int i = 0; i < 23; i++) {
                Files.createDirectories(home.resolve("queue/" + d + "/" + i));
            }
        }
        Files.createDirectories(home.resolve("queue/bounce"));
        message(47, "djb@silverton.berkeley.edu", 810362814L, "x".repeat(246), "Tdjb@silverton.berkeley.edu\0", null);
        message(5, "", 946684800L, "y".repeat(1234),
                "Dpostmaster@silverton.berkeley.edu\0Tother@silverton.berkeley.edu\0",
                "Tme@wherever.example\0Ddone@elsewhere.example\0Tbad\u0001byte\u00e9@x.example\0");
        Golden.write(home.resolve("queue/bounce/5"), "");
        message(100, "tab\there@example.org", 1700000000L, "", null, "Tr@example.net\0");
        message(101, "ghost@example.org", 1700000001L, null, null, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, new Qread(Auto.load(home), out).run());
        Golden.check("qread.out", out.toByteArray());
    }

    @Test
    void missingQueueIsFatal() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(111, new Qread(Auto.load(home.resolve("nope")), out).run());
        assertEquals("fatal: unable to chdir: file does not exist\n", out.toString("ISO-8859-1"));
        Files.createDirectories(home.resolve("queue"));
        out.reset();
        assertEquals(111, new Qread(Auto.load(home), out).run());
        assertEquals("fatal: unable to opendir info/0: file does not exist\n", out.toString("ISO-8859-1"));
    }
}
