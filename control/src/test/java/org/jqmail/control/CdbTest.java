package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdbTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return Bytes.ascii(s);
    }

    private static byte[] golden() throws IOException {
        try (InputStream in = CdbTest.class.getResourceAsStream("/golden/tcprules.cdb")) {
            return in.readAllBytes();
        }
    }

    /** The records of a cdb in file order: records run from 2048 to the first hash table. */
    private static List<byte[][]> records(byte[] cdb) {
        ByteBuffer bb = ByteBuffer.wrap(cdb).order(ByteOrder.LITTLE_ENDIAN);
        long end = Long.MAX_VALUE;
        for (int i = 0; i < 256; i++) {
            end = Math.min(end, bb.getInt(i * 8) & 0xffffffffL);
        }
        List<byte[][]> out = new ArrayList<>();
        int pos = 2048;
        while (pos < end) {
            int klen = bb.getInt(pos);
            int dlen = bb.getInt(pos + 4);
            byte[] k = Arrays.copyOfRange(cdb, pos + 8, pos + 8 + klen);
            byte[] d = Arrays.copyOfRange(cdb, pos + 8 + klen, pos + 8 + klen + dlen);
            out.add(new byte[][] {k, d});
            pos += 8 + klen + dlen;
        }
        return out;
    }

    @Test
    void hashIsDjbsHash() {
        assertEquals(5381L, Cdb.hash(new byte[0]));
        // ((5381 << 5) + 5381) ^ 'a' = 177573 ^ 97 = 177604
        assertEquals(177604L, Cdb.hash(b("a")));
        assertEquals(0xffffffffL & Cdb.hash(b("a long key that wraps the 32-bit hash several times")),
                Cdb.hash(b("a long key that wraps the 32-bit hash several times")));
    }

    @Test
    void ourWriterReproducesAFileMadeByDjbsCdbMakeByteForByte() throws IOException {
        byte[] gold = golden();
        Path p = dir.resolve("x.cdb");
        CdbMake m = new CdbMake(p);
        for (byte[][] r : records(gold)) {
            m.add(r[0], r[1]);
        }
        m.finish();
        assertArrayEquals(gold, Files.readAllBytes(p));
    }

    @Test
    void ourReaderReadsAFileMadeByDjbsCdbMake() throws IOException {
        Path p = dir.resolve("tcp.cdb");
        Files.write(p, golden());
        try (Cdb c = Cdb.open(p)) {
            assertArrayEquals(b("+RELAYCLIENT=\0"), c.find(b("127.0.0.1")));
            assertArrayEquals(b("+RELAYCLIENT=\0+DATABYTES=100000\0"), c.find(b("127.")));
            assertEquals('D', c.find(b("10.1.2."))[0]);
            assertArrayEquals(new byte[0], c.find(b("")));
            assertArrayEquals(new byte[0], c.find(b("=mail.example.org")));
            assertNull(c.find(b("10.1.2")));
            assertNull(c.find(b("nothing")));
        }
    }

    @Test
    void roundTripWithDuplicatesReturnsTheFirstRecord() throws IOException {
        Path p = dir.resolve("users.cdb");
        CdbMake m = new CdbMake(p);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            byte[] k = b("!user" + i + "\0");
            keys.add(k);
            m.add(k, b("data" + i));
        }
        m.add(b("!user7\0"), b("second"));
        m.add(b(""), b("-"));
        m.finish();
        assertEquals(false, Files.exists(dir.resolve("users.cdb.tmp")));
        try (Cdb c = Cdb.open(p)) {
            for (int i = 0; i < keys.size(); i++) {
                assertArrayEquals(b("data" + i), c.find(keys.get(i)));
            }
            assertArrayEquals(b("-"), c.find(new byte[0]));
            assertNull(c.find(b("!user7")));
        }
    }

    @Test
    void emptyDatabaseHasOnlyAHeader() throws IOException {
        Path p = dir.resolve("empty.cdb");
        new CdbMake(p).finish();
        byte[] f = Files.readAllBytes(p);
        assertEquals(2048, f.length);
        for (int i = 0; i < 256; i++) {
            assertEquals(2048, ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getInt(i * 8));
            assertEquals(0, ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getInt(i * 8 + 4));
        }
        try (Cdb c = Cdb.open(p)) {
            assertNull(c.find(b("x")));
        }
    }

    @Test
    void aRecordRunningPastTheEndIsAFormatErrorNotAnAllocation() throws IOException {
        Path p = dir.resolve("bad.cdb");
        CdbMake m = new CdbMake(p);
        m.add(b("k"), b("v"));
        m.finish();
        byte[] f = Files.readAllBytes(p);
        // Claim a 2 GiB data length for the record at 2048.
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(2052, 0x7fffffff);
        Files.write(p, f);
        try (Cdb c = Cdb.open(p)) {
            assertThrows(Cdb.FormatException.class, () -> c.find(b("k")));
        }
    }

    @Test
    void missingFileIsNull() throws IOException {
        assertNull(Cdb.openIfExists(dir.resolve("none.cdb")));
    }
}
