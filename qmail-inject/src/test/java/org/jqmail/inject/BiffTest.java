package org.jqmail.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.Test;

/** qbiff's notice and its reading of utmp. */
class BiffTest {
    static String notice(String local, String sender, String message) {
        byte[] n = Biff.notice(Bytes.ascii(local), Bytes.ascii(sender), new ByteArrayInputStream(Bytes.ascii(message)));
        return n == null ? null : Bytes.str(n);
    }

    @Test
    void subjectThenBodyCutTo78WithNewlinesAsSlashes() {
        assertEquals("\r\n\007*** TO <joe> FROM <a@b.example>\r\n    hello there//first line/second/\r\n",
                notice("joe", "a@b.example", "From: x\nSubject:   hello there\nTo: y\n\nfirst line\nsecond\n"));
        String body = "x".repeat(200);
        assertEquals("\r\n\007*** TO <joe> FROM <>\r\n    /" + "x".repeat(73) + "\r\n",
                notice("joe", "", "To: y\n\n" + body + "\n"));
    }

    @Test
    void everySubjectCountsAndOddBytesAreReplaced() {
        assertEquals("\r\n\007*** TO <j_e> FROM <_>\r\n    one/two/ cont/\r\n",
                notice("j\u00e9e".substring(0, 1) + "\u0001e", "\t", "Subject: one\nsubject:two\n cont\n"));
        assertEquals("\r\n\007*** TO <joe> FROM <s>\r\n    sp\u00e9c".replace("\u00e9", "/") + "/\r\n",
                notice("joe", "s", "Subject: sp\u00e9c\n"));
    }

    @Test
    void aNonFieldLineStartsTheBodyAfterAnInsertedBlankLine() {
        assertEquals("\r\n\007*** TO <joe> FROM <s>\r\n    /not a field/\r\n",
                notice("joe", "s", "not a field\n"));
        assertEquals("\r\n\007*** TO <joe> FROM <s>\r\n    \r\n", notice("joe", "s", ""));
    }

    @Test
    void anOverlongFieldMeansNoNotice() {
        assertNull(notice("joe", "s", "Subject: " + "z".repeat(Biff.FIELD_MAX) + "\n\n"));
    }

    static byte[] record(int type, String line, String user) {
        ByteBuffer b = ByteBuffer.allocate(Biff.UT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) type);
        b.position(Biff.UT_LINE);
        b.put(Bytes.ascii(line));
        b.position(Biff.UT_USER);
        b.put(Bytes.ascii(user));
        return b.array();
    }

    @Test
    void ttysAreTheUsersLoginLinesWithoutSlashOrDot() {
        byte[] utmp = Bytes.concat(record(7, "pts/3", "joe"), record(8, "pts/4", "joe"), record(7, "tty1", "joey"),
                record(7, "/dev/pts/5", "joe"), record(7, "../etc", "joe"), record(7, "", "joe"),
                record(6, "tty2", "joe"), record(7, "pts/7", "joe"), record(7, "a".repeat(32), "joe"),
                new byte[100]);
        assertEquals(List.of("pts/3", "pts/7", "a".repeat(32)), Biff.ttys(utmp, Bytes.ascii("joe")));
        byte[] full = record(7, "pts/9", "u".repeat(32));
        assertEquals(List.of("pts/9"), Biff.ttys(full, Bytes.ascii("u".repeat(32))));
        assertEquals(List.of(), Biff.ttys(full, Bytes.ascii("u".repeat(33))));
        assertEquals(List.of(), Biff.ttys(full, Bytes.ascii("u".repeat(31))));
    }

    @Test
    void withoutTheEnvironmentNothingIsRead() throws Exception {
        InputStream never = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read");
            }
        };
        Qbiff.run(java.util.Map.of("USER", Bytes.ascii("joe"), "SENDER", Bytes.ascii("s")), never);
        Qbiff.run(java.util.Map.of("USER", Bytes.ascii("u".repeat(33)), "SENDER", Bytes.ascii("s"),
                "LOCAL", Bytes.ascii("l")), never);
    }
}
