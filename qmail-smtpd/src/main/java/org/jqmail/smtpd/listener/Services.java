package org.jqmail.smtpd.listener;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Scan;
import org.jqmail.io.SubstdioIn;

/** A TCP port given as a number or as a name from {@code /etc/services}, as tcpserver takes it. */
final class Services {
    private Services() {
    }

    static int port(String s) throws IOException {
        long n = Scan.strict(s);
        if (n >= 0 && n <= 65535) {
            return (int) n;
        }
        try (InputStream in = Files.newInputStream(Paths.get("/etc/services"))) {
            SubstdioIn ss = new SubstdioIn(in, 4096);
            ByteBuf line = new ByteBuf(4096);
            for (;;) {
                line.clear();
                SubstdioIn.Line r = ss.getline(line, (byte) '\n', 4096);
                if (r == SubstdioIn.Line.EOF) {
                    break;
                }
                if (r == SubstdioIn.Line.TOO_LONG) {
                    ss.skipLine((byte) '\n');
                    continue;
                }
                String[] f = line.toString().split("#", 2)[0].trim().split("\\s+");
                if (f.length >= 2 && f[1].endsWith("/tcp")) {
                    boolean match = f[0].equals(s);
                    for (int i = 2; i < f.length && !match; i++) {
                        match = f[i].equals(s);
                    }
                    if (match) {
                        long p = Scan.strict(f[1].substring(0, f[1].length() - 4));
                        if (p >= 0 && p <= 65535) {
                            return (int) p;
                        }
                    }
                }
            }
        }
        throw new IOException("unable to figure out port number for " + s);
    }
}
