package org.jqmail.remote;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@link Remote} against fake DNS, fake peers and an in-memory timeout table. */
final class Harness {
    final Path home;
    final FakeResolver dns = new FakeResolver();
    final FakePeers peers = new FakePeers();
    final MemTcpto tcpto = new MemTcpto();
    Ipme ipme = Ipme.of(FakeResolver.ip("127.0.0.1"), FakeResolver.ip("192.0.2.99"));
    long now = 1_700_000_000L;
    long pid = 4242;
    int port = 25;

    Harness(Path home) throws IOException {
        this.home = home;
        Files.createDirectories(home.resolve("control"));
        control("me", "me.test\n");
        control("helohost", "helo.test\n");
    }

    Harness control(String name, String content) throws IOException {
        Files.write(home.resolve("control").resolve(name), content.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    String run(String host, String sender, String... recips) {
        return run(new ByteArrayInputStream("Subject: t\n\nbody\n".getBytes(StandardCharsets.ISO_8859_1)),
                host, sender, recips);
    }

    String run(byte[] message, String host, String sender, String... recips) {
        return run(new ByteArrayInputStream(message), host, sender, recips);
    }

    String run(InputStream message, String host, String sender, String... recips) {
        Remote.Env env = new Remote.Env(home, dns, ipme, tcpto, () -> now, pid, peers, port);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<byte[]> r = new ArrayList<>();
        for (String s : recips) {
            r.add(b(s));
        }
        new Remote(env).run(b(host), b(sender), r, message, out);
        if (tcpto.locked != 0) {
            throw new IllegalStateException("tcpto lock left held");
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
