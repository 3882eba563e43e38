package org.jqmail.send;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogTest {
    /** Records each write as one string. */
    private static final class Writes extends ByteArrayOutputStream {
        final List<String> each = new ArrayList<>();

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            each.add(new String(b, off, len, StandardCharsets.ISO_8859_1));
        }

        @Override
        public synchronized void write(int b) {
            each.add(String.valueOf((char) b));
        }
    }

    @Test
    void unbufferedWritesEachLineAtOnce() {
        Writes w = new Writes();
        Log log = new Log(w);
        log.line("new msg ", 457L);
        log.line("end msg ", 457L);
        assertEquals(List.of("new msg 457\n", "end msg 457\n"), w.each);
    }

    @Test
    void bufferedLinesWaitForFlushAndGoOutInOneWrite() {
        Writes w = new Writes();
        Log log = new Log(w).buffered();
        log.line("new msg ", 457L);
        log.line("info msg 457: bytes ", 19L, " from <", new byte[] {'a', '@', 'b'}, "> qp ", 1L, " uid ", 2);
        assertEquals(List.of(), w.each);
        log.flush();
        assertEquals(List.of("new msg 457\ninfo msg 457: bytes 19 from <a@b> qp 1 uid 2\n"), w.each);
        log.flush();
        assertEquals(1, w.each.size());
    }

    @Test
    void aFullBufferIsWrittenWithoutWaitingInWritesOfAtMostPipeBufAndNoLineIsSplit() {
        Writes w = new Writes();
        Log log = new Log(w).buffered();
        String x = "x".repeat(999);
        for (int i = 0; i < 9; i++) {
            log.line(x);
        }
        // Four 1000-byte lines fit in 4096 bytes, a fifth does not: the four go out first.
        assertEquals(List.of((x + "\n").repeat(4), (x + "\n").repeat(4)), w.each);
        log.line("end msg ", 1L);
        log.flush();
        assertEquals(List.of((x + "\n").repeat(4), (x + "\n").repeat(4), x + "\nend msg 1\n"), w.each);
    }

    @Test
    void aLineLongerThanPipeBufIsWrittenWhole() {
        Writes w = new Writes();
        Log log = new Log(w).buffered();
        String y = "y".repeat(5000);
        log.line("new msg ", 2L);
        log.line(y);
        assertEquals(List.of("new msg 2\n"), w.each, "the lines before a long one go out first");
        log.flush();
        assertEquals(List.of("new msg 2\n", y + "\n"), w.each);
    }
}
