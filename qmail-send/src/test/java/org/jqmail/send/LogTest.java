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
    void aFullBufferIsWrittenWithoutWaitingAndNoLineIsSplit() {
        Writes w = new Writes();
        Log log = new Log(w).buffered();
        String x = "x".repeat(999);
        for (int i = 0; i < 9; i++) {
            log.line(x);
        }
        // 9000 bytes reach the 8192-byte mark at the ninth line: all nine go out together.
        assertEquals(1, w.each.size());
        assertEquals((x + "\n").repeat(9), w.each.get(0));
        log.line("end msg ", 1L);
        log.flush();
        assertEquals(List.of((x + "\n").repeat(9), "end msg 1\n"), w.each);
    }
}
