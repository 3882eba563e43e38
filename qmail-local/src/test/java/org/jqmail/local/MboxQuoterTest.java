package org.jqmail.local;

import static org.jqmail.local.T.b;
import static org.jqmail.local.T.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MboxQuoterTest {
    /** Feeds {@code in} in pieces of {@code chunk} bytes. */
    private static String quote(String in, int chunk) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        InputStream src = new ByteArrayInputStream(b(in)) {
            @Override
            public synchronized int read(byte[] buf, int off, int len) {
                return super.read(buf, off, Math.min(len, chunk));
            }
        };
        MboxQuoter.copy(src, o::write);
        return s(o.toByteArray());
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", value = {
        "'' => \\n",
        "a\\n => a\\n\\n",
        "a => a\\n\\n",
        "From x\\n => >From x\\n\\n",
        ">From x\\n => >>From x\\n\\n",
        ">>>From x\\n => >>>>From x\\n\\n",
        "From \\n => >From \\n\\n",
        "'From ' => '>From \\n\\n'",
        "From => From\\n\\n",
        "From\\n => From\\n\\n",
        "from x\\n => from x\\n\\n",
        "' From x\\n' => ' From x\\n\\n'",
        "FromX\\n => FromX\\n\\n",
        ">\\n>>\\n>F\\n => >\\n>>\\n>F\\n\\n",
        ">>> => >>>\\n\\n",
        "a\\nFrom b\\nc From d\\n>From e => a\\n>From b\\nc From d\\n>>From e\\n\\n",
        "\\n\\nFrom x\\n\\n => \\n\\n>From x\\n\\n\\n",
        "x\\r\\nFrom y\\r\\n => x\\r\\n>From y\\r\\n\\n"})
    void fromLinesGetOneMoreGreaterThan(String in, String out) throws IOException {
        String i = in.replace("\\n", "\n").replace("\\r", "\r");
        String o = out.replace("\\n", "\n").replace("\\r", "\r");
        for (int chunk : new int[] {1, 2, 3, 5, 7, 8192}) {
            assertEquals(o, quote(i, chunk), "chunk " + chunk);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4096, 100_000})
    void longGreaterThanRunsAndLongLinesStream(int n) throws IOException {
        char[] gt = new char[n];
        Arrays.fill(gt, '>');
        String run = new String(gt);
        assertEquals(">" + run + "From x\n\n", quote(run + "From x\n", 4096));
        assertEquals(run + "Frog\n\n", quote(run + "Frog", 4096));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10})
    void readErrorsAreReportedAsReadErrors(int before) {
        InputStream broken = new InputStream() {
            int left = before;

            @Override
            public int read() throws IOException {
                if (left-- > 0) {
                    return 'a';
                }
                throw new IOException("Input/output error");
            }
        };
        assertThrows(MboxQuoter.ReadError.class, () -> MboxQuoter.copy(broken, (x, y, z) -> { }));
    }
}
