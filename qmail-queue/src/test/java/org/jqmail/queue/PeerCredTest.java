package org.jqmail.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.jqmail.io.nat.ChannelFd;
import org.jqmail.io.nat.Nat;
import org.jqmail.io.nat.Posix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The submitter's credentials come from the kernel: over a real Unix-domain connection the
 * server learns the connecting process's uid and pid (surefire runs with qmail-queued's
 * {@code --add-exports}, so the descriptor is visible), and without the descriptor still the
 * uid, with the pid unknown.
 */
class PeerCredTest {
    @TempDir
    Path dir;

    private interface Check {
        void on(SocketChannel accepted) throws IOException;
    }

    private void connected(Check check) throws IOException {
        UnixDomainSocketAddress a = UnixDomainSocketAddress.of(dir.resolve("s"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(a);
            try (SocketChannel client = SocketChannel.open(a); SocketChannel accepted = server.accept()) {
                assertTrue(client.isConnected());
                check.on(accepted);
            }
        }
    }

    @Test
    void theKernelNamesTheConnectingProcessAndItsUid() throws IOException {
        Posix px = Nat.posix();
        assertTrue(ChannelFd.available(), "the test runs with --add-exports java.base/sun.nio.ch");
        connected(ch -> assertEquals(new PeerCred.Cred(px.getuid() & 0xffffffffL, ProcessHandle.current().pid()),
                PeerCred.kernel(px).of(ch)));
    }

    @Test
    void withoutTheDescriptorTheUidStillComesFromTheKernel() throws IOException {
        Posix px = Nat.posix();
        connected(ch -> assertEquals(new PeerCred.Cred(px.getuid() & 0xffffffffL, 0), PeerCred.jdk(px).of(ch)));
    }
}
