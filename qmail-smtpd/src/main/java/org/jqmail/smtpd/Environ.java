package org.jqmail.smtpd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jqmail.io.Bytes;

/**
 * This process's environment as bytes (ISO-8859-1 strings), read from
 * {@code /proc/self/environ} so that values such as RELAYCLIENT reach the envelope exactly as
 * tcpserver set them, whatever the locale; {@link System#getenv()} if that file is unreadable.
 */
public final class Environ {
    private static final int MAX = 4 * 1024 * 1024;

    private Environ() {
    }

    public static Map<String, String> current() {
        Map<String, String> m = new LinkedHashMap<>();
        byte[] raw;
        try (InputStream in = Files.newInputStream(Paths.get("/proc/self/environ"))) {
            raw = in.readNBytes(MAX);
        } catch (IOException e) {
            m.putAll(System.getenv());
            return m;
        }
        int start = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i == raw.length || raw[i] == 0) {
                int eq = -1;
                for (int j = start; j < i; j++) {
                    if (raw[j] == '=') {
                        eq = j;
                        break;
                    }
                }
                if (eq > start) {
                    m.putIfAbsent(Bytes.str(raw, start, eq - start), Bytes.str(raw, eq + 1, i - eq - 1));
                }
                start = i + 1;
            }
        }
        return m;
    }
}
