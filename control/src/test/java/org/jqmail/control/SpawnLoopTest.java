package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.Chunked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpawnLoopTest {
    @TempDir
    Path mess;

    private static byte[] cmd(int slot, String messfile, String sender, String rcpt) {
        return new SpawnCommand(slot, Bytes.ascii(messfile), Bytes.ascii(sender), Bytes.ascii(rcpt)).encode();
    }

    /** Splits the loop's output into the announcement byte and the reports, each "slot:text". */
    private static List<String> reports(byte[] out) {
        List<String> r = new ArrayList<>();
        r.add("limit=" + (out[0] & 0xff));
        int i = 1;
        while (i < out.length) {
            int slot = out[i++] & 0xff;
            int j = i;
            while (out[j] != 0) {
                j++;
            }
            r.add(slot + ":" + Bytes.str(out, i, j - i));
            i = j + 1;
        }
        return r;
    }

    private List<String> run(int limit, byte[]... cmds) throws IOException {
        Files.createDirectories(mess.resolve("20"));
        Files.write(mess.resolve("20/457"), Bytes.ascii("message"));
        Files.createDirectories(mess.resolve("3"));
        Files.createDirectory(mess.resolve("3/26"));
        ByteBuf in = new ByteBuf(1 << 20);
        for (byte[] c : cmds) {
            in.append(c);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SpawnLoop loop = new SpawnLoop(new Chunked(in.toByteArray(), 5), out, mess, limit, -1,
                (slot, p, sender, rcpt, at) -> Bytes.ascii("Kdelivered " + Bytes.str(rcpt, 0, at) + " from <"
                        + Bytes.str(sender) + "> " + Bytes.str(uncheckedRead(p)) + "\n\0ignored"));
        assertEquals(0, loop.run());
        return reports(out.toByteArray());
    }

    private static byte[] uncheckedRead(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void announcesTheLimitAndReportsADelivery() throws IOException {
        List<String> r = run(120, cmd(3, "20/457", "s@x", "joe@example.org"));
        assertEquals(List.of("limit=120", "3:Kdelivered joe from <s@x> message\n"), r);
    }

    @Test
    void validatesCommandsWithSpawnCsTexts() throws IOException {
        List<String> r = run(10,
                cmd(10, "20/457", "", "a@b"),
                cmd(1, "20/4a7", "", "a@b"),
                cmd(2, "/20/457", "", "a@b"),
                cmd(3, "1".repeat(100), "", "a@b"),
                cmd(4, "", "", "a@b"),
                cmd(5, "20/457", "", "nohost"),
                cmd(6, "20/999", "", "a@b"),
                cmd(7, "3/26", "", "a@b"));
        assertEquals(List.of("limit=10",
                "10:ZInternal error: delnum too big. (#4.3.5)\n",
                "1:DInternal error: messid has nonnumerics. (#5.3.5)\n",
                "2:DInternal error: messid has nonnumerics. (#5.3.5)\n",
                "3:DInternal error: messid too long. (#5.3.5)\n",
                "4:DInternal error: messid too short. (#5.3.5)\n",
                "5:DSorry, address must include host name. (#5.1.3)\n",
                "6:Zqmail-spawn unable to open message. (#4.3.0)\n",
                "7:ZSorry, message has wrong type. (#4.3.5)\n"), r);
    }

    @Test
    void messidOf99BytesIsAcceptedAsSpawnCCountsItsNul() throws IOException {
        List<String> r = run(10, cmd(1, "1".repeat(99), "", "a@b"));
        assertEquals("1:Zqmail-spawn unable to open message. (#4.3.0)\n", r.get(1));
    }

    @Test
    void oversizedFieldIsReportedAsOutOfMemoryAndTheNextCommandStillRuns() throws IOException {
        List<String> r = run(10,
                cmd(4, "20/457", "s".repeat(SpawnCommand.FIELD_MAX + 1), "a@b"),
                cmd(5, "20/457", "s@x", "joe@example.org"));
        assertEquals(List.of("limit=10", "4:Zqmail-spawn out of memory. (#4.3.0)\n",
                "5:Kdelivered joe from <s@x> message\n"), r);
    }
}
