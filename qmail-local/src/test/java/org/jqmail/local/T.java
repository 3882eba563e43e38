package org.jqmail.local;

import java.util.ArrayList;
import java.util.List;
import org.jqmail.io.Bytes;

/** Small helpers for the tests. */
final class T {
    private T() {
    }

    static byte[] b(String s) {
        return Bytes.ascii(s);
    }

    static String s(byte[] b) {
        return Bytes.str(b);
    }

    static List<byte[]> argv(String... a) {
        List<byte[]> r = new ArrayList<>();
        for (String x : a) {
            r.add(b(x));
        }
        return r;
    }
}
