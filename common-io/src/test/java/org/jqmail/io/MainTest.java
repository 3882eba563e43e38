package org.jqmail.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void failedWithTextWritesItAndReturnsTheTemporaryCode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] z = Bytes.ascii("ZInternal error in qmail-remote. (#4.3.0)\n\0");
        assertEquals(0, Main.failed(out, z, 0));
        assertArrayEquals(z, out.toByteArray());
    }

    @Test
    void failedWithTextStillReturnsTheCodeWhenTheWriteFails() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("closed");
            }
        };
        assertEquals(111, Main.failed(broken, Bytes.ascii("x\n"), 111));
    }

    @Test
    void failedReturnsTheProgramsTemporaryCode() {
        assertEquals(81, Main.failed("qmail-queue", new IOException("read"), 81));
        assertEquals(1, Main.failed("qmail-smtpd", new IllegalStateException("bug"), 1));
    }

    @Test
    void runReturnsTheBodysCodeOr111() {
        assertEquals(100, Main.run("t", () -> 100));
        assertEquals(111, Main.run("t", () -> {
            throw new IllegalStateException("bug");
        }));
        assertEquals(111, Main.run("t", () -> {
            throw new OutOfMemoryError();
        }));
    }
}
