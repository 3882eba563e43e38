// SPDX-License-Identifier: Unlicense
// Run by scripts/install as a single-file source program (not part of the build).

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A stand-in for qmail-queued during class-data training runs: listens on the Unix-domain
 * socket given as the only argument (mode 0777), reads each submission to its end and answers
 * "queued, qp 1" (QueueProtocol: code 0, qp 1, no text). With it the training run of
 * qmail-smtpd goes through the whole DATA path, whose classes then come from the archive.
 * Nothing is stored. It exits after 60 seconds, or when killed.
 *
 *   java QueueStub.java QMAILHOME/sock/qmail-queue
 */
public class QueueStub {
    public static void main(String[] a) throws IOException {
        Path sock = Path.of(a[0]);
        Files.createDirectories(sock.getParent());
        Files.deleteIfExists(sock);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rwxrwxrwx"));
        Thread stop = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // Exit anyway.
            }
            Runtime.getRuntime().halt(0);
        });
        stop.setDaemon(true);
        stop.start();
        for (;;) {
            try (SocketChannel ch = server.accept()) {
                InputStream in = Channels.newInputStream(ch);
                byte[] b = new byte[8192];
                while (in.read(b) > 0) {
                    // The whole submission, up to the client's shutdown of its side.
                }
                ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1, 0}));
            } catch (IOException e) {
                // The next connection may do better.
            }
        }
    }
}
