package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code bin/qmail-queue} keeps qmail-queue's interface (qmail-queue(8)): message on fd 0, envelope
 * read from fd 1, exit 0 when queued, 91 for a bad envelope, 11 for an address over 1002
 * bytes, 54 for a truncated envelope, and 73 when qmail-queued cannot be reached. A refused
 * submission leaves nothing behind in the queue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QmailQueueIT {
    private ReceiveRig rig;

    @BeforeAll
    void start() throws Exception {
        rig = ReceiveRig.create();
    }

    @AfterAll
    void stop() throws IOException {
        if (rig != null) {
            rig.close();
        }
    }

    private int qmailQueue(String message, String envelope) throws IOException {
        Path msg = Files.createTempFile(rig.home.dir(), "msg", "");
        Path env = Files.createTempFile(rig.home.dir(), "env", "");
        Files.write(msg, message.getBytes(ISO_8859_1));
        Files.write(env, envelope.getBytes(ISO_8859_1));
        TestHome.Result r = TestHome.exec(List.of("sh", "-c", "exec " + rig.home.bin("qmail-queue") + " <" + msg
                + " 1<" + env), null, ReceiveRig.START);
        return r.exit();
    }

    @Test
    void exitCodesAreQmailQueues() throws Exception {
        int todo = rig.todo().size();
        assertEquals(0, qmailQueue("Subject: ok\n\nbody\n", "Fa@b\0Tc@d\0Te@f\0\0"));
        assertEquals(todo + 1, rig.todo().size());
        assertEquals(91, qmailQueue("x\n", "Xa@b\0\0"));
        assertEquals(91, qmailQueue("x\n", "Fa@b\0Zc\0\0"));
        assertEquals(11, qmailQueue("x\n", "F" + "a".repeat(1003) + "\0\0"));
        assertEquals(0, qmailQueue("x\n", "F" + "a".repeat(1002) + "\0T" + "b".repeat(1002) + "\0\0"));
        assertEquals(54, qmailQueue("x\n", "Fa@b\0Tc@d\0"));
        assertEquals(54, qmailQueue("x\n", ""));
        assertEquals(todo + 2, rig.todo().size());
        TestHome.await("refused submissions to be cleaned up", () -> rig.files("mess").size() == todo + 2
                && rig.files("intd").size() == todo + 2 && rig.files("pid").isEmpty(), ReceiveRig.START);
    }

    @Test
    void envelopeIsReadUpToTheFinalNulOnly() throws Exception {
        assertEquals(0, qmailQueue("m\n", "Fs@x\0Tr@y\0\0trailing junk"));
        boolean found = false;
        for (Path t : rig.todo()) {
            String s = new String(Files.readAllBytes(t), ISO_8859_1);
            found |= s.endsWith("\0Fs@x\0Tr@y\0");
        }
        assertTrue(found);
    }

    /** Every byte value, sizes around the client's 16 KB and 64 KB chunks: mess is exact. */
    @Test
    void largeMessagesAreQueuedByteForByte() throws Exception {
        for (int size : new int[] {16383, 16384, 65535, 65536, 65537, 131072, 250001}) {
            StringBuilder m = new StringBuilder(size);
            for (int i = 0; i < size; i++) {
                m.append((char) ((i * 31 + size) & 0xff));
            }
            String sender = "big" + size + "@x";
            assertEquals(0, qmailQueue(m.toString(), "F" + sender + "\0Tr@y\0\0"));
            ReceiveRig.Queued q = null;
            for (Path t : rig.todo()) {
                if (new String(Files.readAllBytes(t), ISO_8859_1).contains("\0F" + sender + "\0")) {
                    q = rig.read(t);
                }
            }
            assertTrue(q != null, sender);
            String mess = q.messText();
            assertTrue(mess.startsWith("Received: (qmail "), sender);
            int nl = mess.indexOf('\n');
            assertEquals(m.toString(), mess.substring(nl + 1), sender);
        }
    }

    @Test
    void unreachableServerIs73() throws Exception {
        rig.killQueued();
        try {
            assertEquals(73, qmailQueue("x\n", "Fa@b\0\0"));
        } finally {
            Files.deleteIfExists(rig.socket());
            rig.startQueued();
        }
    }
}
