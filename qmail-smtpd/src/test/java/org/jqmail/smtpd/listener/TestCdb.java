package org.jqmail.smtpd.listener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jqmail.control.CdbMake;

/** Test rules files: a cdb of ISO-8859-1 key/value pairs, written with the project's CdbMake. */
final class TestCdb {
    private TestCdb() {
    }

    /** Writes {@code kv} (key, value, key, value, ...) as the cdb {@code p}; returns {@code p}. */
    static Path write(Path p, String... kv) throws IOException {
        try (CdbMake m = new CdbMake(p)) {
            for (int i = 0; i < kv.length; i += 2) {
                m.add(kv[i].getBytes(StandardCharsets.ISO_8859_1), kv[i + 1].getBytes(StandardCharsets.ISO_8859_1));
            }
            m.finish();
        }
        return p;
    }
}
